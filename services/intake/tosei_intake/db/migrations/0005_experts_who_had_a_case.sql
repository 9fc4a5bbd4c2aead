-- Every expert who has had a case, not only the current one: after a transfer the former expert
-- still reads it (read-only), as in caseflow. Built from caseflow's events like case_experts;
-- the current experts are filled in here, former ones of earlier transfers by `tosei replay
-- intake`, which rebuilds both tables from the topics.
CREATE TABLE case_expert_history (
    case_id    uuid        NOT NULL,
    expert_id  uuid        NOT NULL,
    since      timestamptz NOT NULL,
    PRIMARY KEY (case_id, expert_id)
);
CREATE INDEX case_expert_history_by_expert ON case_expert_history (expert_id);
INSERT INTO case_expert_history (case_id, expert_id, since)
    SELECT case_id, expert_id, since FROM case_experts ON CONFLICT DO NOTHING;
