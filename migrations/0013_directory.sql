ALTER TABLE "roster_imports" ALTER COLUMN "created_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "from_directory" boolean DEFAULT false NOT NULL;