CREATE TABLE "digest_runs" (
	"unit_id" text NOT NULL,
	"day" date NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "digest_runs_unit_id_day_pk" PRIMARY KEY("unit_id","day")
);
