ALTER INDEX "sms_submit_attempts_smsc_ids_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('sms_submit_attempts_smsc_ids_idx'::regclass);
