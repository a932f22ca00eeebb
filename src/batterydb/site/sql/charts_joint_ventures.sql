-- Who owns each joint venture, and with what share, for its ownership
-- graph on the site? One row per joint venture and reporting date, with
-- the rows the joint_venture_owners query gives for them as a list in the
-- query's order: each partner's stake with its share bounds (NULL when
-- the source gives no share: drawn as unknown, never as zero), then the
-- undisclosed remainder, when there is one. The $charts with the most
-- stakes come (then by name and date), with how many there are in all.
WITH owners AS (
    SELECT
        o.joint_venture,
        o.owner,
        o.tie,
        o.share_as_stated,
        o.share_min_pct,
        o.share_max_pct,
        o.reported_on,
        o.reported_precision,
        o.source_id,
        date_text(o.reported_on, o.reported_precision) AS reported_on_text
    FROM analytics.joint_venture_owners() AS o
),

graphs AS (
    SELECT
        ow.joint_venture,
        ow.reported_on,
        count(ow.owner) AS stakes,
        count(*) OVER () AS graphs
    FROM owners AS ow
    GROUP BY ow.joint_venture, ow.reported_on
    QUALIFY row_number() OVER (ORDER BY count(ow.owner) DESC, ow.joint_venture, ow.reported_on) <= $charts
)

SELECT
    g.joint_venture,
    CAST(g.reported_on AS VARCHAR) AS reported_on,
    any_value(ow.reported_on_text) AS reported_on_text,
    g.stakes,
    g.graphs,
    list({
        'joint_venture': ow.joint_venture,
        'owner': ow.owner,
        'tie': ow.tie,
        'share_as_stated': ow.share_as_stated,
        'share_min_pct': ow.share_min_pct,
        'share_max_pct': ow.share_max_pct,
        'reported_on': CAST(ow.reported_on AS VARCHAR),
        'reported_precision': ow.reported_precision,
        'source_id': ow.source_id,
        'label': coalesce(ow.owner || ' (' || replace(ow.tie, '_', ' ') || ')', 'Undisclosed remainder') || ': '
            || CASE WHEN ow.share_as_stated = 'unknown' THEN 'share unknown' ELSE ow.share_as_stated || '%' END,
        'sources': CASE WHEN ow.source_id IS NULL THEN [] ELSE [ow.source_id] END
    } ORDER BY ow.owner IS NULL, ow.share_min_pct DESC NULLS LAST, ow.owner) AS points
FROM graphs AS g
JOIN owners AS ow ON ow.joint_venture = g.joint_venture AND ow.reported_on = g.reported_on
GROUP BY g.joint_venture, g.reported_on, g.stakes, g.graphs
ORDER BY g.stakes DESC, g.joint_venture, g.reported_on
