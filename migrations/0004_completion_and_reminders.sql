CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."reminder_kind" AS ENUM('manual', 'before_due', 'overdue');--> statement-breakpoint
CREATE TABLE "completion_counts" (
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"department_id" uuid,
	"employment_type" "employment_type" NOT NULL,
	"assigned" integer DEFAULT 0 NOT NULL,
	"in_progress" integer DEFAULT 0 NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "completion_counts_uq" UNIQUE NULLS NOT DISTINCT("campaign_id","department_id","employment_type")
);
--> statement-breakpoint
CREATE TABLE "daily_completions" (
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"department_id" uuid,
	"day" date NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_completions_uq" UNIQUE NULLS NOT DISTINCT("campaign_id","department_id","day")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"assignment_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" "reminder_kind" NOT NULL,
	"sent_by" uuid,
	"reminded_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminders_once_a_day_uq" UNIQUE("assignment_id","kind","reminded_on")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "reminder_schedule" jsonb;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_sent_by_people_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "reminders_person_idx" ON "reminders" USING btree ("person_id","created_at");--> statement-breakpoint
-- Completion counts follow every change to an assignment, whichever code path makes it. Each
-- change is a pair of upserts with deltas (-1 for the old row, +1 for the new), so the NULLS NOT
-- DISTINCT unique constraints find the row by index even for people without a department.
-- Days are Japan time (UTC+9, no summer time).
CREATE FUNCTION "track_completion_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO completion_counts AS c (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed)
		VALUES (OLD.org_id, OLD.campaign_id, OLD.department_id, OLD.employment_type, -1,
			-(OLD.status = 'in_progress')::int, -(OLD.status = 'completed')::int)
		ON CONFLICT ON CONSTRAINT completion_counts_uq DO UPDATE SET
			assigned = c.assigned + excluded.assigned,
			in_progress = c.in_progress + excluded.in_progress,
			completed = c.completed + excluded.completed;
		IF OLD.completed_at IS NOT NULL THEN
			INSERT INTO daily_completions AS d (org_id, campaign_id, department_id, day, completed)
			VALUES (OLD.org_id, OLD.campaign_id, OLD.department_id, ((OLD.completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date, -1)
			ON CONFLICT ON CONSTRAINT daily_completions_uq DO UPDATE SET completed = d.completed + excluded.completed;
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO completion_counts AS c (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed)
		VALUES (NEW.org_id, NEW.campaign_id, NEW.department_id, NEW.employment_type, 1,
			(NEW.status = 'in_progress')::int, (NEW.status = 'completed')::int)
		ON CONFLICT ON CONSTRAINT completion_counts_uq DO UPDATE SET
			assigned = c.assigned + excluded.assigned,
			in_progress = c.in_progress + excluded.in_progress,
			completed = c.completed + excluded.completed;
		IF NEW.completed_at IS NOT NULL THEN
			INSERT INTO daily_completions AS d (org_id, campaign_id, department_id, day, completed)
			VALUES (NEW.org_id, NEW.campaign_id, NEW.department_id, ((NEW.completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date, 1)
			ON CONFLICT ON CONSTRAINT daily_completions_uq DO UPDATE SET completed = d.completed + excluded.completed;
		END IF;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "assignments_completion_counts_ins_del" AFTER INSERT OR DELETE ON "assignments"
	FOR EACH ROW EXECUTE FUNCTION "track_completion_counts"();
--> statement-breakpoint
-- Saving an answer touches last_activity_at only: no trigger work on the hot path.
CREATE TRIGGER "assignments_completion_counts_upd" AFTER UPDATE ON "assignments"
	FOR EACH ROW WHEN (
		OLD.status IS DISTINCT FROM NEW.status
		OR OLD.department_id IS DISTINCT FROM NEW.department_id
		OR OLD.employment_type IS DISTINCT FROM NEW.employment_type
		OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
		OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
	) EXECUTE FUNCTION "track_completion_counts"();
--> statement-breakpoint
INSERT INTO completion_counts (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed)
SELECT org_id, campaign_id, department_id, employment_type, count(*),
	count(*) FILTER (WHERE status = 'in_progress'), count(*) FILTER (WHERE status = 'completed')
FROM assignments GROUP BY org_id, campaign_id, department_id, employment_type;
--> statement-breakpoint
INSERT INTO daily_completions (org_id, campaign_id, department_id, day, completed)
SELECT org_id, campaign_id, department_id, ((completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date, count(*)
FROM assignments WHERE completed_at IS NOT NULL
GROUP BY org_id, campaign_id, department_id, ((completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date;
