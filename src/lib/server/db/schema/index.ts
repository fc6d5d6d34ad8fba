export * from './org';
export * from './audit';
export * from './policy';
export * from './learning';
export * from './insight';
export * from './notify';
export * from './mfa';
export * from './inspection';
