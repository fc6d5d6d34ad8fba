CREATE INDEX "audit_events_org_actor_at_idx" ON "audit_events" USING btree ("org_id","actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_events_org_target_at_idx" ON "audit_events" USING btree ("org_id","target_type","target_id","at");--> statement-breakpoint
CREATE INDEX "audit_events_org_action_at_idx" ON "audit_events" USING btree ("org_id","action","at");