CREATE TABLE "revision_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"section_key" text,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revision_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"from_status" "policy_version_status",
	"to_status" "policy_version_status" NOT NULL,
	"actor_id" uuid,
	"comment" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "section_daily_stats" (
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"section_key" text NOT NULL,
	"day" date NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "section_daily_stats_campaign_id_section_key_day_pk" PRIMARY KEY("campaign_id","section_key","day")
);
--> statement-breakpoint
ALTER TABLE "policy_sections" ADD COLUMN "rev" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_sections" ADD COLUMN "updated_by" uuid;--> statement-breakpoint
ALTER TABLE "policy_sections" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "based_on_version_id" uuid;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD COLUMN "evidence" jsonb;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "revision_version_id" uuid;--> statement-breakpoint
ALTER TABLE "question_answer_stats" ADD COLUMN "score_sq_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "question_answer_stats" ADD COLUMN "total_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "question_answer_stats" ADD COLUMN "total_sq_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "question_answer_stats" ADD COLUMN "cross_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "completion_counts" ADD COLUMN "attempted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "revision_comments" ADD CONSTRAINT "revision_comments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_comments" ADD CONSTRAINT "revision_comments_version_id_policy_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_comments" ADD CONSTRAINT "revision_comments_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_events" ADD CONSTRAINT "revision_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_events" ADD CONSTRAINT "revision_events_version_id_policy_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_events" ADD CONSTRAINT "revision_events_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revision_comments_version_idx" ON "revision_comments" USING btree ("version_id","created_at");--> statement-breakpoint
CREATE INDEX "revision_events_version_idx" ON "revision_events" USING btree ("version_id","at");
--> statement-breakpoint
-- Completion counts also count who has submitted a quiz (k-anonymity of answer figures).
CREATE OR REPLACE FUNCTION "track_completion_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO completion_counts AS c (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed, attempted)
		VALUES (OLD.org_id, OLD.campaign_id, OLD.department_id, OLD.employment_type, -1,
			-(OLD.status = 'in_progress')::int, -(OLD.status = 'completed')::int, -(OLD.attempt_count > 0)::int)
		ON CONFLICT ON CONSTRAINT completion_counts_uq DO UPDATE SET
			assigned = c.assigned + excluded.assigned,
			in_progress = c.in_progress + excluded.in_progress,
			completed = c.completed + excluded.completed,
			attempted = c.attempted + excluded.attempted;
		IF OLD.completed_at IS NOT NULL THEN
			INSERT INTO daily_completions AS d (org_id, campaign_id, department_id, day, completed)
			VALUES (OLD.org_id, OLD.campaign_id, OLD.department_id, ((OLD.completed_at AT TIME ZONE 'UTC') + interval '9 hours')::date, -1)
			ON CONFLICT ON CONSTRAINT daily_completions_uq DO UPDATE SET completed = d.completed + excluded.completed;
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO completion_counts AS c (org_id, campaign_id, department_id, employment_type, assigned, in_progress, completed, attempted)
		VALUES (NEW.org_id, NEW.campaign_id, NEW.department_id, NEW.employment_type, 1,
			(NEW.status = 'in_progress')::int, (NEW.status = 'completed')::int, (NEW.attempt_count > 0)::int)
		ON CONFLICT ON CONSTRAINT completion_counts_uq DO UPDATE SET
			assigned = c.assigned + excluded.assigned,
			in_progress = c.in_progress + excluded.in_progress,
			completed = c.completed + excluded.completed,
			attempted = c.attempted + excluded.attempted;
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
DROP TRIGGER "assignments_completion_counts_upd" ON "assignments";
--> statement-breakpoint
CREATE TRIGGER "assignments_completion_counts_upd" AFTER UPDATE ON "assignments"
	FOR EACH ROW WHEN (
		OLD.status IS DISTINCT FROM NEW.status
		OR OLD.department_id IS DISTINCT FROM NEW.department_id
		OR OLD.employment_type IS DISTINCT FROM NEW.employment_type
		OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
		OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
		OR (OLD.attempt_count > 0) IS DISTINCT FROM (NEW.attempt_count > 0)
	) EXECUTE FUNCTION "track_completion_counts"();
--> statement-breakpoint
UPDATE completion_counts c SET attempted = s.n
FROM (
	SELECT campaign_id, department_id, employment_type, count(*)::int AS n FROM assignments WHERE attempt_count > 0
	GROUP BY campaign_id, department_id, employment_type
) s
WHERE s.campaign_id = c.campaign_id AND s.department_id IS NOT DISTINCT FROM c.department_id AND s.employment_type = c.employment_type;
--> statement-breakpoint
-- Item-analysis sums and daily section counts for answers submitted before this migration.
WITH totals AS (
	SELECT r.attempt_id, sum(coalesce(r.score, 0)) AS total
	FROM responses r JOIN attempts a ON a.id = r.attempt_id
	WHERE a.submitted_at IS NOT NULL GROUP BY r.attempt_id
)
UPDATE question_answer_stats q SET score_sq_sum = s.x2, total_sum = s.y, total_sq_sum = s.y2, cross_sum = s.xy
FROM (
	SELECT asg.campaign_id, r.question_id, sum(coalesce(r.score, 0) ^ 2) AS x2, sum(t.total) AS y, sum(t.total ^ 2) AS y2, sum(coalesce(r.score, 0) * t.total) AS xy
	FROM responses r
	JOIN attempts a ON a.id = r.attempt_id
	JOIN assignments asg ON asg.id = a.assignment_id
	JOIN totals t ON t.attempt_id = r.attempt_id
	GROUP BY asg.campaign_id, r.question_id
) s
WHERE q.campaign_id = s.campaign_id AND q.question_id = s.question_id;
--> statement-breakpoint
INSERT INTO section_daily_stats (org_id, campaign_id, section_key, day, answers, errors)
SELECT a.org_id, asg.campaign_id, k.key, ((a.submitted_at AT TIME ZONE 'UTC') + interval '9 hours')::date, count(*)::int,
	(count(*) FILTER (WHERE NOT coalesce(r.correct, false)))::int
FROM responses r
JOIN attempts a ON a.id = r.attempt_id
JOIN assignments asg ON asg.id = a.assignment_id
JOIN questions q ON q.id = r.question_id
CROSS JOIN LATERAL unnest(q.section_keys) AS k(key)
WHERE a.submitted_at IS NOT NULL
GROUP BY a.org_id, asg.campaign_id, k.key, ((a.submitted_at AT TIME ZONE 'UTC') + interval '9 hours')::date;
