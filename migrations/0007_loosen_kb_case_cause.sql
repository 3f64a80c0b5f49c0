-- Re-importing a fault replaces its causes (delete + insert), which through the
-- foreign key would silently clear kb_cases.cause_id. Cases keep the cause id
-- they were confirmed with; the KB API checks it exists when a case is written.
ALTER TABLE kb_cases DROP CONSTRAINT IF EXISTS kb_cases_cause_id_fkey;
