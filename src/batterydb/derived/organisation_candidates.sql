-- org_candidates(query, enough) folded every id, name and alias and scored
-- its Jaro-Winkler similarity with the text on every call, and
-- org_matches(query) folded them all again to find the organisation a
-- parameter names. Here each is folded once, with a signature (key_sig)
-- that rules most of them out with a few integer operations.
--
-- key_sig holds the key's length in characters b (from bit 48; 32767 when
-- longer, and then never ruled out) and, in bits 0 to 35, which of a-z and
-- 0-9 occur in it. Jaro-Winkler compares characters (code points). With
-- m the characters that match, t the transpositions, a the text's length
-- and l <= 4 the common prefix, Jaro J = (m/a + m/b + (m - t/2)/m) / 3 <= (m/a + m/b + 1) / 3,
-- and the similarity is J, or J + 0.1 l (1 - J) <= 0.4 + 0.6 J when J > 0.7.
-- So a similarity of 0.85 or more needs J >= 0.75, that is
-- 4 m (a + b) >= 5 a b. A character class the text has and the key lacks
-- leaves at least one character of the text unmatched, so m <= a - x, with x
-- the number of such classes; likewise m <= b - y for the classes the key
-- has and the text lacks. When the first characters differ, l = 0 and
-- the similarity is J itself, so it needs J >= 0.85: 20 m (a + b) >= 31 a b
-- (the first bound is 20 m (a + b) >= 25 a b). could_be_similar() asks
-- both, exactly, in doubles (integers far below 2^53); J can only reach
-- its bound from below by at least 1 / (60 a b), far more than a double's
-- rounding of the similarity. An exact, prefix or contained match needs every class of the
-- text in the key (x = 0) and b >= a. could_match() asks that first, then,
-- for the rest, cheap tests that the first bound implies: with x >= k it
-- gives b <= 4 a (a - k) / (a + 4 k), and when x = 0 and b < a, then
-- b <= a - 1 <= 4 a (a - 1) / (a + 4) (a >= 2; for a = 1, b = 0). A key
-- that fails cannot match; the others are scored as match_score scores them
-- (key_score on the stored key), and Jaro-Winkler only when
-- could_be_similar().
CREATE OR REPLACE MACRO name_key_classes(key) AS
    (contains(key, 'a')::BIGINT << 0) | (contains(key, 'b')::BIGINT << 1) | (contains(key, 'c')::BIGINT << 2)
    | (contains(key, 'd')::BIGINT << 3) | (contains(key, 'e')::BIGINT << 4) | (contains(key, 'f')::BIGINT << 5)
    | (contains(key, 'g')::BIGINT << 6) | (contains(key, 'h')::BIGINT << 7) | (contains(key, 'i')::BIGINT << 8)
    | (contains(key, 'j')::BIGINT << 9) | (contains(key, 'k')::BIGINT << 10) | (contains(key, 'l')::BIGINT << 11)
    | (contains(key, 'm')::BIGINT << 12) | (contains(key, 'n')::BIGINT << 13) | (contains(key, 'o')::BIGINT << 14)
    | (contains(key, 'p')::BIGINT << 15) | (contains(key, 'q')::BIGINT << 16) | (contains(key, 'r')::BIGINT << 17)
    | (contains(key, 's')::BIGINT << 18) | (contains(key, 't')::BIGINT << 19) | (contains(key, 'u')::BIGINT << 20)
    | (contains(key, 'v')::BIGINT << 21) | (contains(key, 'w')::BIGINT << 22) | (contains(key, 'x')::BIGINT << 23)
    | (contains(key, 'y')::BIGINT << 24) | (contains(key, 'z')::BIGINT << 25) | (contains(key, '0')::BIGINT << 26)
    | (contains(key, '1')::BIGINT << 27) | (contains(key, '2')::BIGINT << 28) | (contains(key, '3')::BIGINT << 29)
    | (contains(key, '4')::BIGINT << 30) | (contains(key, '5')::BIGINT << 31) | (contains(key, '6')::BIGINT << 32)
    | (contains(key, '7')::BIGINT << 33) | (contains(key, '8')::BIGINT << 34) | (contains(key, '9')::BIGINT << 35);
COMMENT ON MACRO name_key_classes IS 'Which of a-z (bits 0 to 25) and 0-9 (bits 26 to 35) occur in a text, as bits of a BIGINT; text_classes() gives the same, in fewer words and more time, for a text typed.';

CREATE OR REPLACE MACRO text_classes(query_key) AS
    list_aggregate(list_transform(string_split('abcdefghijklmnopqrstuvwxyz0123456789', ''),
                                  lambda ch, i: contains(query_key, ch)::BIGINT << (i - 1)), 'bit_or');
COMMENT ON MACRO text_classes IS 'name_key_classes() of a text, written short: macros that use it many times bind quickly.';

CREATE OR REPLACE MACRO first_letter_code(key) AS CASE WHEN ascii(key) BETWEEN 1 AND 254 THEN ascii(key) ELSE 255 END::BIGINT;
COMMENT ON MACRO first_letter_code IS 'The code point of a text''s first character, 1 to 254; 255 for any other (or none).';

CREATE OR REPLACE MACRO first_letter_bound(key_sig, query_key) AS
    CASE
        WHEN (key_sig >> 36) & 255 IN (first_letter_code(query_key), 255) OR first_letter_code(query_key) = 255 THEN 25
        ELSE 31
    END;
COMMENT ON MACRO first_letter_bound IS '20 times the least m/a + m/b a Jaro-Winkler similarity of 0.85 needs (see could_be_similar): 25, or 31 when the first characters differ.';

CREATE OR REPLACE MACRO could_be_similar(key_sig, query_key) AS
    key_sig >= (32767::BIGINT << 48)
    OR 20 * (length(query_key) - bit_count(text_classes(query_key) & ~key_sig))::DOUBLE * (length(query_key) + (key_sig >> 48))
            >= first_letter_bound(key_sig, query_key) * (key_sig >> 48)::DOUBLE * length(query_key)
        AND 20 * ((key_sig >> 48) - bit_count(key_sig & ~text_classes(query_key) & ((1::BIGINT << 36) - 1)))::DOUBLE
            * (length(query_key) + (key_sig >> 48)) >= first_letter_bound(key_sig, query_key) * (key_sig >> 48)::DOUBLE * length(query_key);
COMMENT ON MACRO could_be_similar IS 'Whether a key with this key_sig (derived.organisation_candidates) can have a Jaro-Winkler similarity of 0.85 or more with the folded text: false only when it cannot.';

CREATE OR REPLACE MACRO could_match(key_sig, query_key) AS
    length(query_key) > 0 AND (
        (text_classes(query_key) & ~key_sig) = 0 AND key_sig >= (least(length(query_key), 32767) << 48)
        OR key_sig < ((least(4 * length(query_key) * (length(query_key) - 1) // (length(query_key) + 4), 32766) + 1) << 48)
            AND (bit_count(text_classes(query_key) & ~key_sig) <= 1
                OR key_sig < ((least(4 * length(query_key) * (length(query_key) - 2) // (length(query_key) + 8), 32766) + 1) << 48))
            AND could_be_similar(key_sig, query_key)
        OR key_sig >= (32767::BIGINT << 48)
    );
COMMENT ON MACRO could_match IS 'Whether a key with this key_sig (derived.organisation_candidates) can match the folded text at all (see key_score): false only when it cannot.';

-- Stored uncompressed: a call reads the few keys that pass from all over
-- the table, and a compressed block costs its whole decoding for one key.
SET force_compression = 'uncompressed';
CREATE TABLE derived.organisation_candidates AS
SELECT
    folded.name_key,
    (least(length(folded.name_key), 32767) << 48) | (first_letter_code(folded.name_key) << 36)
        | name_key_classes(folded.name_key) AS key_sig,
    true AS wanted,
    folded.org_id,
    folded.matched_on,
    folded.matched_text,
    folded.preference,
    folded.source_id
FROM (SELECT n.*, name_key(n.matched_text) AS name_key FROM org_names() AS n) AS folded
ORDER BY folded.name_key, folded.org_id, folded.preference;
RESET force_compression;
COMMENT ON TABLE derived.organisation_candidates IS 'org_names() as built, each folded by name_key() with a signature that rules out most keys cheaply, for org_candidates() and org_matches().';
COMMENT ON COLUMN derived.organisation_candidates.name_key IS 'The id, name or alias, folded; rows are stored in its order.';
COMMENT ON COLUMN derived.organisation_candidates.key_sig IS 'Its length in characters from bit 48 (at most 32767), first_letter_code() in bits 36 to 43 and name_key_classes() in bits 0 to 35.';
COMMENT ON COLUMN derived.organisation_candidates.wanted IS 'Always true: org_candidates() joins it with whether the caller wants any row, so that a call that wants none (a parameter that matches) skips every block.';
COMMENT ON COLUMN derived.organisation_candidates.org_id IS 'The organisation it names.';
COMMENT ON COLUMN derived.organisation_candidates.matched_on IS 'What it is: id, name or alias.';
COMMENT ON COLUMN derived.organisation_candidates.matched_text IS 'The id, name or alias as given.';
COMMENT ON COLUMN derived.organisation_candidates.preference IS 'Which wins a tie: 1 the name, 2 an alias, 3 the id.';
COMMENT ON COLUMN derived.organisation_candidates.source_id IS 'The source of the name or alias (of the organisation, for the id).';

-- Near misses (at most 0.75) rank below every exact, prefix or contained
-- match (at least 0.8), and a caller takes the best `enough`: once as many
-- organisations match that way, no near miss can be among them, and none
-- is scored.
CREATE OR REPLACE MACRO org_candidates(query, enough) AS TABLE
    WITH kept AS MATERIALIZED (
        SELECT c.name_key, c.key_sig, c.org_id, c.matched_on, c.matched_text, c.preference, c.source_id
        FROM derived.organisation_candidates AS c
        JOIN (SELECT enough > 0 AS wanted) AS w ON w.wanted = c.wanted
        WHERE could_match(c.key_sig, name_key(query))
    )
    SELECT scored.org_id, scored.matched_on, scored.matched_text, scored.score, scored.source_id
    FROM (
        SELECT
            kept.*,
            key_score(kept.name_key, name_key(query),
                      matching.orgs < enough AND could_be_similar(kept.key_sig, name_key(query))) AS score
        FROM kept, (
            SELECT count(DISTINCT kept.org_id) AS orgs FROM kept
            WHERE key_score(kept.name_key, name_key(query), false) IS NOT NULL
        ) AS matching
    ) AS scored
    WHERE scored.score IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY scored.org_id ORDER BY scored.score DESC, scored.preference, scored.matched_text
    ) = 1;

CREATE OR REPLACE MACRO org_matches(query) AS TABLE
    SELECT DISTINCT c.org_id FROM derived.organisation_candidates AS c WHERE c.name_key = name_key(query);
