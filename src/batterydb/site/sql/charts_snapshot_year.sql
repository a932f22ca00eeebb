-- Up to which year do the plants' statuses and capacity figures go, for
-- the snapshot of capacity by country and status on the site? The latest
-- year of a reported status (expected ones left out) or of a plant's
-- capacity figure, so that the snapshot holds every plant and its latest
-- figures; NULL when there are neither, and the snapshot is left undrawn.
SELECT
    greatest(
        (
            SELECT max(CAST(year(h.status_on) AS INTEGER))
            FROM main.facility_status_history AS h
            WHERE NOT h.is_expected
        ),
        (
            SELECT max(c.year)
            FROM main.capacities AS c
            WHERE c.facility_id IS NOT NULL
        )
    ) AS snapshot_year,
    (
        SELECT u.name
        FROM main.units AS u
        WHERE u.unit_code = 'gwh_per_year'
    ) AS unit
