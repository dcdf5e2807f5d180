-- How far an admin moved the clock forward (server.clock_control, the sandbox's default), so that a
-- restart keeps the time the stored schedules, windows and spacings were decided on.
CREATE TABLE clock_shift (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    shift_ms INTEGER NOT NULL CHECK (shift_ms >= 0)
);
