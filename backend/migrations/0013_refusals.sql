-- Why Oura refused a collection at its last attempt (not_granted, membership_required,
-- app_too_old), so each card can say why it is empty.
ALTER TABLE sync_progress ADD COLUMN refusal TEXT;
