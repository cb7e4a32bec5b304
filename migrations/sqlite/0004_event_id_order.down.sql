-- Nothing to undo (see the up file).
SELECT 1;
