export * from './org';
export * from './audit';
export * from './policy';
export * from './learning';
