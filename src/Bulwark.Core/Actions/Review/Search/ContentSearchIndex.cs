using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review.Search;

/// <summary>
/// The console's search index over content (issue 23, item 3). Three things are indexed, all per content version:
/// <list type="bullet">
/// <item>the words of the event: caption, transcript, hashtags, and the account's handle, display name and bio;</item>
/// <item>the SHA-256 of each media file as sent with the event;</item>
/// <item>the designated entities the screening signals name (<c>entity:{id}</c> labels of <c>entity.*</c> signals).</item>
/// </list>
/// The index is written by <see cref="ContentSearchIndexer"/>, behind ingestion (it was kept by triggers inside ingestion's
/// transaction until migration <c>SearchIndexOffIngest</c>, which cost 13 % of SQLite's and 27 % of PostgreSQL's pipeline
/// throughput); only the delete trigger remains, so a deleted version leaves the index at once. SQLite uses an FTS5 table (<c>unicode61</c>, diacritics kept); PostgreSQL a side table with a <c>tsvector</c> ('simple'
/// configuration: no stemming, no stop words, so Italian and English are treated alike) under a GIN index, and a GIN index
/// over the media hashes. Both split text into runs of letters and digits, fold case and keep accents, so "città" finds
/// "CITTÀ" but not "citta" on both. The tables are outside the EF model (FTS5 cannot be modelled); the migrations call the
/// SQL below.
/// </summary>
public static class ContentSearchIndex
{
    /// <summary>At most this many characters of an event's text are indexed (a tsvector holds at most 1 MB); written as a literal in the SQL below.</summary>
    public const int MaxIndexedChars = 200_000;

    public const string SqliteUp = """
        CREATE VIRTUAL TABLE content_search USING fts5(content_id UNINDEXED, body, hashes, tokenize = 'unicode61 remove_diacritics 0');
        CREATE TABLE content_search_entities (
            entity_id INTEGER NOT NULL,
            content_version_id INTEGER NOT NULL,
            PRIMARY KEY (entity_id, content_version_id)) WITHOUT ROWID;
        CREATE TRIGGER content_search_insert AFTER INSERT ON content_versions WHEN json_valid(NEW.event_json) BEGIN
            INSERT INTO content_search(rowid, content_id, body, hashes) VALUES (NEW.id, NEW.content_id,
                substr(coalesce(json_extract(NEW.event_json, '$.text'), '') || ' ' || coalesce(json_extract(NEW.event_json, '$.transcript'), '') || ' ' ||
                    coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.event_json, '$.hashtags') WHERE type = 'text'), '') || ' ' ||
                    coalesce(json_extract(NEW.event_json, '$.account.handle'), '') || ' ' ||
                    coalesce(json_extract(NEW.event_json, '$.account.displayName'), '') || ' ' ||
                    coalesce(json_extract(NEW.event_json, '$.account.bio'), ''), 1, 200000),
                coalesce((SELECT group_concat(lower(json_extract(value, '$.sha256')), ' ') FROM json_each(NEW.event_json, '$.media') WHERE type = 'object'), ''));
        END;
        CREATE TRIGGER content_search_delete AFTER DELETE ON content_versions BEGIN
            DELETE FROM content_search WHERE rowid = OLD.id;
            DELETE FROM content_search_entities WHERE content_version_id = OLD.id;
        END;
        CREATE TRIGGER content_search_entity AFTER INSERT ON signals
            WHEN NEW.type IN ('entity.mention', 'entity.name_match') AND json_valid(NEW.labels_json) BEGIN
            INSERT OR IGNORE INTO content_search_entities(entity_id, content_version_id)
                SELECT CAST(substr(value, 8) AS INTEGER), NEW.content_version_id FROM json_each(NEW.labels_json)
                WHERE type = 'text' AND value LIKE 'entity:%' AND substr(value, 8) GLOB '[0-9]*';
        END;
        INSERT INTO content_search(rowid, content_id, body, hashes)
            SELECT id, content_id,
                substr(coalesce(json_extract(event_json, '$.text'), '') || ' ' || coalesce(json_extract(event_json, '$.transcript'), '') || ' ' ||
                    coalesce((SELECT group_concat(value, ' ') FROM json_each(event_json, '$.hashtags') WHERE type = 'text'), '') || ' ' ||
                    coalesce(json_extract(event_json, '$.account.handle'), '') || ' ' ||
                    coalesce(json_extract(event_json, '$.account.displayName'), '') || ' ' ||
                    coalesce(json_extract(event_json, '$.account.bio'), ''), 1, 200000),
                coalesce((SELECT group_concat(lower(json_extract(value, '$.sha256')), ' ') FROM json_each(event_json, '$.media') WHERE type = 'object'), '')
            FROM content_versions WHERE json_valid(event_json);
        INSERT OR IGNORE INTO content_search_entities(entity_id, content_version_id)
            SELECT CAST(substr(l.value, 8) AS INTEGER), s.content_version_id FROM signals s, json_each(s.labels_json) l
            WHERE s.type IN ('entity.mention', 'entity.name_match') AND json_valid(s.labels_json)
              AND l.type = 'text' AND l.value LIKE 'entity:%' AND substr(l.value, 8) GLOB '[0-9]*';
        """;

    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS content_search_entity;
        DROP TRIGGER IF EXISTS content_search_delete;
        DROP TRIGGER IF EXISTS content_search_insert;
        DROP TABLE IF EXISTS content_search_entities;
        DROP TABLE IF EXISTS content_search;
        """;

    public const string PostgresUp = """
        CREATE TABLE content_search (
            content_version_id bigint PRIMARY KEY,
            content_id text NOT NULL,
            body tsvector NOT NULL,
            hashes text[] NOT NULL);
        CREATE INDEX ix_content_search_body ON content_search USING gin (body);
        CREATE INDEX ix_content_search_hashes ON content_search USING gin (hashes);
        CREATE TABLE content_search_entities (
            entity_id bigint NOT NULL,
            content_version_id bigint NOT NULL,
            PRIMARY KEY (entity_id, content_version_id));
        -- Words: runs of letters and digits (the same split as FTS5's unicode61 and the console's query), lower-cased, positions stripped.
        CREATE FUNCTION bulwark_search_body(e jsonb) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
            SELECT strip(to_tsvector('simple', regexp_replace(left(concat_ws(' ', e->>'text', e->>'transcript',
                (SELECT string_agg(h, ' ') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(e->'hashtags') = 'array' THEN e->'hashtags' END) h),
                e->'account'->>'handle', e->'account'->>'displayName', e->'account'->>'bio'), 200000), '[^[:alnum:]]+', ' ', 'g')))
        $f$;
        CREATE FUNCTION bulwark_search_hashes(e jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
            SELECT coalesce(array_agg(DISTINCT lower(m->>'sha256')) FILTER (WHERE m->>'sha256' IS NOT NULL), '{}')
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e->'media') = 'array' THEN e->'media' ELSE '[]'::jsonb END) m
            WHERE jsonb_typeof(m) = 'object'
        $f$;
        CREATE FUNCTION bulwark_content_search_insert() RETURNS trigger LANGUAGE plpgsql AS $f$
        DECLARE e jsonb := NEW.event_json::jsonb;
        BEGIN
            INSERT INTO content_search(content_version_id, content_id, body, hashes)
            VALUES (NEW.id, NEW.content_id, bulwark_search_body(e), bulwark_search_hashes(e));
            RETURN NULL;
        END $f$;
        CREATE TRIGGER content_search_insert AFTER INSERT ON content_versions FOR EACH ROW EXECUTE FUNCTION bulwark_content_search_insert();
        CREATE FUNCTION bulwark_content_search_delete() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            DELETE FROM content_search WHERE content_version_id = OLD.id;
            DELETE FROM content_search_entities WHERE content_version_id = OLD.id;
            RETURN NULL;
        END $f$;
        CREATE TRIGGER content_search_delete AFTER DELETE ON content_versions FOR EACH ROW EXECUTE FUNCTION bulwark_content_search_delete();
        CREATE FUNCTION bulwark_content_search_entity() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO content_search_entities(entity_id, content_version_id)
                SELECT substr(l, 8)::bigint, NEW.content_version_id FROM jsonb_array_elements_text(NEW.labels_json::jsonb) l
                WHERE l ~ '^entity:[0-9]{1,18}$'
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $f$;
        CREATE TRIGGER content_search_entity AFTER INSERT ON signals FOR EACH ROW
            WHEN (NEW.type IN ('entity.mention', 'entity.name_match')) EXECUTE FUNCTION bulwark_content_search_entity();
        INSERT INTO content_search(content_version_id, content_id, body, hashes)
            SELECT id, content_id, bulwark_search_body(event_json::jsonb), bulwark_search_hashes(event_json::jsonb) FROM content_versions;
        INSERT INTO content_search_entities(entity_id, content_version_id)
            SELECT substr(l, 8)::bigint, s.content_version_id FROM signals s, jsonb_array_elements_text(s.labels_json::jsonb) l
            WHERE s.type IN ('entity.mention', 'entity.name_match') AND l ~ '^entity:[0-9]{1,18}$'
        ON CONFLICT DO NOTHING;
        """;

    public const string PostgresDown = """
        DROP TRIGGER IF EXISTS content_search_entity ON signals;
        DROP TRIGGER IF EXISTS content_search_delete ON content_versions;
        DROP TRIGGER IF EXISTS content_search_insert ON content_versions;
        DROP FUNCTION IF EXISTS bulwark_content_search_entity();
        DROP FUNCTION IF EXISTS bulwark_content_search_delete();
        DROP FUNCTION IF EXISTS bulwark_content_search_insert();
        DROP FUNCTION IF EXISTS bulwark_search_hashes(jsonb);
        DROP FUNCTION IF EXISTS bulwark_search_body(jsonb);
        DROP TABLE IF EXISTS content_search_entities;
        DROP TABLE IF EXISTS content_search;
        """;

    /// <summary>
    /// Migration <c>SearchIndexOffIngest</c>: drops the insert triggers (the indexer takes over) and starts the indexer's
    /// watermarks at the last id the triggers indexed, so nothing is indexed twice or missed. The migration runs before any
    /// writer starts, so every row up to those ids was indexed in its own transaction. Deleting the two <c>index_watermarks</c>
    /// rows makes the indexer rebuild the whole index (it overwrites what is there).
    /// </summary>
    public const string SqliteOffIngest = """
        DROP TRIGGER IF EXISTS content_search_entity;
        DROP TRIGGER IF EXISTS content_search_insert;
        INSERT INTO index_watermarks(name, last_id) SELECT 'search.content', coalesce(max(id), 0) FROM content_versions;
        INSERT INTO index_watermarks(name, last_id) SELECT 'search.entities', coalesce(max(id), 0) FROM signals;
        """;

    /// <summary>Down: the triggers come back and the index is rebuilt from scratch (rows the indexer had not reached are included).</summary>
    public const string SqliteOffIngestDown = SqliteDown + SqliteUp;

    public const string PostgresOffIngest = """
        DROP TRIGGER IF EXISTS content_search_entity ON signals;
        DROP TRIGGER IF EXISTS content_search_insert ON content_versions;
        DROP FUNCTION IF EXISTS bulwark_content_search_entity();
        DROP FUNCTION IF EXISTS bulwark_content_search_insert();
        INSERT INTO index_watermarks(name, last_id) SELECT 'search.content', coalesce(max(id), 0) FROM content_versions;
        INSERT INTO index_watermarks(name, last_id) SELECT 'search.entities', coalesce(max(id), 0) FROM signals;
        """;

    public const string PostgresOffIngestDown = PostgresDown + PostgresUp;

    /// <summary>Content ids whose indexed words start with every term, newest version first, each id once.</summary>
    public static async Task<List<string>> FindTextAsync(BulwarkDbContext db, IReadOnlyList<string> terms, int limit, CancellationToken ct)
    {
        // Terms are letters and digits only (SearchTerms), so neither query language can see an operator in them; they are
        // still passed as parameters.
        List<VersionHit> rows;
        var take = limit * 4;
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var query = string.Join(" & ", terms.Select(t => $"'{t}':*"));
            rows = await db.Database.SqlQuery<VersionHit>(
                $"SELECT content_version_id AS \"VersionId\", content_id AS \"ContentId\" FROM content_search WHERE body @@ to_tsquery('simple', {query}) ORDER BY content_version_id DESC LIMIT {take}")
                .ToListAsync(ct);
        }
        else
        {
            var query = string.Join(" AND ", terms.Select(t => $"\"{t}\"*"));
            rows = await db.Database.SqlQuery<VersionHit>(
                $"SELECT rowid AS \"VersionId\", content_id AS \"ContentId\" FROM content_search WHERE body MATCH {query} ORDER BY rowid DESC LIMIT {take}")
                .ToListAsync(ct);
        }
        return Distinct(rows, limit);
    }

    /// <summary>Content ids with a media file of this SHA-256 (lower-case hex), newest version first.</summary>
    public static async Task<List<string>> FindHashAsync(BulwarkDbContext db, string sha256, int limit, CancellationToken ct)
    {
        var take = limit * 4;
        var rows = db.Provider == DatabaseProvider.Postgres
            ? await db.Database.SqlQuery<VersionHit>(
                // A hash matches few versions, so the GIN lookup is always the cheaper plan; the materialised CTE keeps the planner
                // from walking the primary key backwards for ORDER BY ... LIMIT instead (4.5 s p95 at 10 M rows, docs/benchmarks.md).
                $"WITH m AS MATERIALIZED (SELECT content_version_id, content_id FROM content_search WHERE hashes @> ARRAY[{sha256}]::text[]) SELECT content_version_id AS \"VersionId\", content_id AS \"ContentId\" FROM m ORDER BY content_version_id DESC LIMIT {take}")
                .ToListAsync(ct)
            : await db.Database.SqlQuery<VersionHit>(
                $"SELECT rowid AS \"VersionId\", content_id AS \"ContentId\" FROM content_search WHERE hashes MATCH {"\"" + sha256 + "\""} ORDER BY rowid DESC LIMIT {take}")
                .ToListAsync(ct);
        return Distinct(rows, limit);
    }

    /// <summary>Content ids whose screening named one of these entities, newest version first.</summary>
    public static async Task<List<string>> FindEntityAsync(BulwarkDbContext db, IReadOnlyList<long> entityIds, int limit, CancellationToken ct)
    {
        if (entityIds.Count == 0) return [];
        var take = limit * 4;
        var versions = db.Provider == DatabaseProvider.Postgres
            ? await db.Database.SqlQuery<long>(
                    $"SELECT content_version_id AS \"Value\" FROM content_search_entities WHERE entity_id = ANY({entityIds.ToArray()}) ORDER BY content_version_id DESC LIMIT {take}")
                .ToListAsync(ct)
            : await db.Database.SqlQuery<long>(
                    $"SELECT content_version_id AS \"Value\" FROM content_search_entities WHERE entity_id IN (SELECT value FROM json_each({System.Text.Json.JsonSerializer.Serialize(entityIds)})) ORDER BY content_version_id DESC LIMIT {take}")
                .ToListAsync(ct);
        var ids = await db.ContentVersions.AsNoTracking().Where(v => versions.Contains(v.Id)).Select(v => new VersionHit { VersionId = v.Id, ContentId = v.ContentId }).ToListAsync(ct);
        return Distinct(ids.OrderByDescending(v => v.VersionId).ToList(), limit);
    }

    private static List<string> Distinct(List<VersionHit> rows, int limit)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (var r in rows)
            if (seen.Add(r.ContentId) && ids.Count < limit) ids.Add(r.ContentId);
        return ids;
    }

    private sealed class VersionHit
    {
        public long VersionId { get; set; }
        public string ContentId { get; set; } = "";
    }
}
