ALTER TABLE "document_settings" ADD COLUMN "certificate_issuer_title" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "document_settings" ADD COLUMN "certificate_issuer_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "contractor_company" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "contract_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "contract_start" date;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "contract_end" date;