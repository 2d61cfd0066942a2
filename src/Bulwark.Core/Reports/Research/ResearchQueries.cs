using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Research;

/// <summary>The researcher API's error codes (the TikTok Research API's vocabulary).</summary>
public static class ResearchErrors
{
    public const string Ok = "ok";
    public const string InvalidParam = "invalid_param";
    public const string AccessTokenInvalid = "access_token_invalid";
    public const string ScopeNotAuthorized = "scope_not_authorized";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string DailyQuotaLimitExceeded = "daily_quota_limit_exceeded";
    public const string InternalError = "internal_error";
    /// <summary>The read model is more than <see cref="ResearchOptions.MaxIndexLagSeconds"/> behind ingestion (e.g. the first
    /// query on a large existing database): 503 with Retry-After, nothing counted against the quota.</summary>
    public const string IndexCatchingUp = "index_catching_up";

    public static int Status(string code) => code switch
    {
        Ok => 200,
        InvalidParam => 400,
        AccessTokenInvalid => 401,
        ScopeNotAuthorized => 403,
        RateLimitExceeded or DailyQuotaLimitExceeded => 429,
        IndexCatchingUp => 503,
        _ => 500,
    };
}

/// <summary>The query object (wire names as in the TikTok Research API).</summary>
public sealed class QueryRequest
{
    [JsonPropertyName("query")] public QueryObject? Query { get; set; }
    [JsonPropertyName("start_date")] public string? StartDate { get; set; }
    [JsonPropertyName("end_date")] public string? EndDate { get; set; }
    [JsonPropertyName("max_count")] public int? MaxCount { get; set; }
    [JsonPropertyName("cursor")] public int? Cursor { get; set; }
    [JsonPropertyName("search_id")] public string? SearchId { get; set; }
    [JsonPropertyName("is_random")] public bool? IsRandom { get; set; }
}

public sealed class AggregateRequest
{
    [JsonPropertyName("query")] public QueryObject? Query { get; set; }
    [JsonPropertyName("start_date")] public string? StartDate { get; set; }
    [JsonPropertyName("end_date")] public string? EndDate { get; set; }
    [JsonPropertyName("group_by")] public List<string>? GroupBy { get; set; }
}

public sealed class QueryObject
{
    [JsonPropertyName("and")] public List<ConditionObject>? And { get; set; }
    [JsonPropertyName("or")] public List<ConditionObject>? Or { get; set; }
    [JsonPropertyName("not")] public List<ConditionObject>? Not { get; set; }
}

public sealed class ConditionObject
{
    [JsonPropertyName("field_name")] public string? FieldName { get; set; }
    [JsonPropertyName("operation")] public string? Operation { get; set; }
    [JsonPropertyName("field_values")] public List<string>? FieldValues { get; set; }
}

/// <summary>An answer: data or an error code with its message, and where the project's quota stands.</summary>
public sealed record ResearchAnswer(string Code, string Message, string LogId, object? Data, QuotaState? Quota, int? RetryAfterSeconds = null)
{
    public int Status => ResearchErrors.Status(Code);
}

public sealed record LogEntry(
    [property: JsonPropertyName("log_id")] string LogId, [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("member_id")] long MemberId, [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("kind")] string Kind, [property: JsonPropertyName("query")] JsonElement Query,
    [property: JsonPropertyName("fields")] IReadOnlyList<string> Fields, [property: JsonPropertyName("search_id")] string? SearchId,
    [property: JsonPropertyName("row_count")] int RowCount, [property: JsonPropertyName("result_sha256")] string ResultHash);

/// <summary>
/// Runs researchers' queries and aggregates: checks the grant, translates the query object through the catalogue's field
/// definitions (parameterised EF expressions; no SQL text is ever built from input), counts the quota, keeps search snapshots,
/// pseudonymises ids per project and logs every answer with a hash of what it returned.
/// </summary>
public sealed class ResearchQueries(IBulwarkDbFactory dbs, ResearchIndexer indexer, ResearchQuota quota, ResearchOptions options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Canonical = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<ResearchAnswer> QueryAsync(ResearchCaller caller, string datasetName, QueryRequest request, string? fieldsParam, CancellationToken ct)
    {
        var logId = NewLogId();
        var project = caller.Project;
        if (ResearchTokens.ActiveProblem(project, clock.GetUtcNow()) is { } inactive) return Fail(ResearchErrors.ScopeNotAuthorized, inactive);
        if (ResearchCatalogue.Find(datasetName) is not { } dataset) return Fail(ResearchErrors.InvalidParam, $"unknown dataset '{Clip(datasetName)}'; see GET /research/v1/catalogue");
        if (!dataset.Queryable) return Fail(ResearchErrors.InvalidParam, $"dataset '{dataset.Name}' is served as aggregates only: POST /research/v1/{dataset.Name}/aggregate");
        var grant = ResearchProjects.Parse(project.GrantedJson);
        if (!grant.TryGetValue(dataset.Name, out var granted)) return Fail(ResearchErrors.ScopeNotAuthorized, $"the project is not granted dataset '{dataset.Name}'");
        if (request.MaxCount is { } mc && (mc < 1 || mc > options.MaxCount)) return Fail(ResearchErrors.InvalidParam, $"max_count must be between 1 and {options.MaxCount}, got {mc}");
        if (request.Cursor is < 0) return Fail(ResearchErrors.InvalidParam, "cursor must not be negative");
        if (request.Cursor is > 0 && request.SearchId is null) return Fail(ResearchErrors.InvalidParam, "cursor needs the search_id of the search it was returned by");
        var count = request.MaxCount ?? 20;
        var cursor = request.Cursor ?? 0;
        PagePosition? after = null;

        ResearchSearchRow? search = null;
        QueryConditions conditions;
        DateWindow? window;
        IReadOnlyList<string> fields;
        if (request.SearchId is { } searchId)
        {
            await using var db = dbs.Create();
            search = await db.Set<ResearchSearchRow>().AsNoTracking().FirstOrDefaultAsync(s => s.SearchId == searchId && s.ProjectId == project.Id, ct);
            // Another project's search_id is indistinguishable from an unknown one.
            if (search is null || search.Dataset != dataset.Name) return Fail(ResearchErrors.InvalidParam, $"search_id '{Clip(searchId)}' is not a search of this project on dataset '{dataset.Name}'");
            var stored = JsonSerializer.Deserialize<QueryRequest>(search.QueryJson)!;
            conditions = Conditions(stored.Query).Conditions;
            window = Window(stored, dataset, options.MaxWindowDays).Window;
            fields = search.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (cursor > 0)
            {
                // Keyset paging: the cursor names where an earlier page of this search ended, never an offset.
                var position = await db.Set<ResearchSearchPageRow>().AsNoTracking().FirstOrDefaultAsync(p => p.SearchId == search.SearchId && p.Cursor == cursor, ct);
                if (position is null) return Fail(ResearchErrors.InvalidParam, $"cursor {cursor} was not returned by search_id '{Clip(searchId)}' or has expired (cursors are kept {options.CursorDays} days); pass the cursor of its previous page, or re-run the search from cursor 0 (same snapshot, same order)");
                after = new PagePosition(position.OrderValue, position.KeyValue);
            }
        }
        else
        {
            var (c, error) = Conditions(request.Query);
            if (error is not null) return Fail(ResearchErrors.InvalidParam, error);
            conditions = c;
            var w = Window(request, dataset, options.MaxWindowDays);
            if (w.Error is not null) return Fail(ResearchErrors.InvalidParam, w.Error);
            window = w.Window;
            var (f, fieldError) = Fields(dataset, fieldsParam, granted);
            if (fieldError is not null) return Fail(ResearchErrors.InvalidParam, fieldError);
            fields = f;
        }
        // Every field read or filtered on must be granted: a filter on an ungranted field would leak it as well.
        foreach (var name in fields.Concat(conditions.All.Select(x => x.FieldName)).Distinct())
            if (dataset.Field(name) is not null && !granted.Contains(name))
                return Fail(ResearchErrors.ScopeNotAuthorized, $"the project is not granted field '{name}' of '{dataset.Name}'");
        var (prepared, prepareError) = dataset.Prepare(conditions, window);
        if (prepareError is not null) return Fail(ResearchErrors.InvalidParam, prepareError);
        // A new search takes its snapshot of the read model now, so the read model must be (nearly) current; a further page
        // of an existing search reads its stored snapshot and needs no catch-up.
        if (search is null && await IndexBusyAsync(logId, ct) is { } busy) return busy;

        var state = await quota.TakeRequestAsync(project, ct);
        if (state.Refusal != QuotaRefusal.None) return Refused(state);
        var reserved = await quota.ReserveRecordsAsync(project, count, ct);
        if (reserved == 0)
            return Fail(ResearchErrors.DailyQuotaLimitExceeded, $"the project has used its {project.DailyRecords} records for today; the quota resets at 00:00 UTC",
                await quota.StateAsync(project, QuotaRefusal.DailyRecords, ResearchQuota.SecondsToMidnight(clock.GetUtcNow()), ct));

        await using (var db = dbs.Create())
        {
            if (search is null)
            {
                search = new ResearchSearchRow
                {
                    SearchId = NewLogId(), ProjectId = project.Id, MemberId = caller.MemberId, Dataset = dataset.Name,
                    QueryJson = JsonSerializer.Serialize(new QueryRequest { Query = request.Query, StartDate = request.StartDate, EndDate = request.EndDate, IsRandom = request.IsRandom }, Canonical),
                    Fields = string.Join(',', fields), Watermark = await dataset.WatermarkAsync(db, ct),
                    RandomSeed = request.IsRandom == true ? RandomNumberGenerator.GetInt32(int.MaxValue) : null, CreatedAt = clock.GetUtcNow(),
                };
                db.Add(search);
                await db.SaveChangesAsync(ct);
            }
            var page = await dataset.PageAsync(db, prepared!, search.Watermark, search.RandomSeed, after, reserved, fields,
                new ReadContext(new Pseudonymiser(project.PseudonymKey)), ct);
            await quota.RefundRecordsAsync(project, reserved - page.Items.Count, ct);
            var next = cursor + page.Items.Count;
            if (page.Items.Count > 0 && page.Last is { } last) await RememberAsync(db, search.SearchId, next, last, clock.GetUtcNow(), ct);
            var data = new Dictionary<string, object?>
            {
                ["items"] = page.Items, ["cursor"] = next, ["has_more"] = page.HasMore, ["search_id"] = search.SearchId,
            };
            await LogAsync(db, logId, caller, dataset.Name, "query", search.QueryJson, fields, search.SearchId, page.Items.Count, page.Items, ct);
            return new ResearchAnswer(ResearchErrors.Ok, "", logId, data, await quota.StateAsync(project, QuotaRefusal.None, 0, ct));
        }

        ResearchAnswer Fail(string code, string message, QuotaState? q = null) => new(code, message, logId, null, q);
        ResearchAnswer Refused(QuotaState q) => q.Refusal == QuotaRefusal.RateLimit
            ? Fail(ResearchErrors.RateLimitExceeded, $"more than {project.PerMinute} requests in a minute; retry in {q.RetryAfterSeconds} s", q)
            : Fail(ResearchErrors.DailyQuotaLimitExceeded, $"the project has used its {project.DailyRequests} requests for today; the quota resets at 00:00 UTC", q);
    }

    public async Task<ResearchAnswer> AggregateAsync(ResearchCaller caller, string datasetName, AggregateRequest request, CancellationToken ct)
    {
        var logId = NewLogId();
        var project = caller.Project;
        ResearchAnswer Fail(string code, string message, QuotaState? q = null) => new(code, message, logId, null, q);
        if (ResearchTokens.ActiveProblem(project, clock.GetUtcNow()) is { } inactive) return Fail(ResearchErrors.ScopeNotAuthorized, inactive);
        if (ResearchCatalogue.Find(datasetName) is not { } dataset) return Fail(ResearchErrors.InvalidParam, $"unknown dataset '{Clip(datasetName)}'; see GET /research/v1/catalogue");
        var grant = ResearchProjects.Parse(project.GrantedJson);
        if (!grant.TryGetValue(dataset.Name, out var granted)) return Fail(ResearchErrors.ScopeNotAuthorized, $"the project is not granted dataset '{dataset.Name}'");
        var groupBy = request.GroupBy ?? [];
        if (groupBy.Count is < 1 or > 2) return Fail(ResearchErrors.InvalidParam, "group_by must name one or two fields");
        if (groupBy.Distinct().Count() != groupBy.Count) return Fail(ResearchErrors.InvalidParam, "group_by names a field twice");
        foreach (var g in groupBy)
        {
            if (dataset.Field(g) is not { } field) return Fail(ResearchErrors.InvalidParam, $"group_by: unknown field '{Clip(g)}' for dataset '{dataset.Name}'");
            if (!field.Groupable) return Fail(ResearchErrors.InvalidParam, $"group_by: field '{g}' cannot be grouped on");
        }
        var (conditions, error) = Conditions(request.Query);
        if (error is not null) return Fail(ResearchErrors.InvalidParam, error);
        var w = Window(new QueryRequest { StartDate = request.StartDate, EndDate = request.EndDate }, dataset, options.MaxAggregateWindowDays);
        if (w.Error is not null) return Fail(ResearchErrors.InvalidParam, w.Error);
        foreach (var name in groupBy.Concat(conditions.All.Select(x => x.FieldName)).Distinct())
            if (dataset.Field(name) is not null && !granted.Contains(name))
                return Fail(ResearchErrors.ScopeNotAuthorized, $"the project is not granted field '{name}' of '{dataset.Name}'");
        var (prepared, prepareError) = dataset.Prepare(conditions, w.Window);
        if (prepareError is not null) return Fail(ResearchErrors.InvalidParam, prepareError);
        if (await IndexBusyAsync(logId, ct) is { } busy) return busy;

        var state = await quota.TakeRequestAsync(project, ct);
        if (state.Refusal != QuotaRefusal.None)
            return state.Refusal == QuotaRefusal.RateLimit
                ? Fail(ResearchErrors.RateLimitExceeded, $"more than {project.PerMinute} requests in a minute; retry in {state.RetryAfterSeconds} s", state)
                : Fail(ResearchErrors.DailyQuotaLimitExceeded, $"the project has used its {project.DailyRequests} requests for today; the quota resets at 00:00 UTC", state);

        await using var db = dbs.Create();
        var counts = await dataset.CountAsync(db, prepared!, groupBy, ct);
        var table = CellSuppression.Suppress(counts, options.SuppressionFloor);
        var data = Render(table, groupBy, options.SuppressionFloor);
        var queryJson = JsonSerializer.Serialize(request, Canonical);
        var cells = (List<Dictionary<string, object?>>)data["cells"]!;
        await LogAsync(db, logId, caller, dataset.Name, "aggregate", queryJson, groupBy, null, cells.Count, data, ct);
        return new ResearchAnswer(ResearchErrors.Ok, "", logId, data, await quota.StateAsync(project, QuotaRefusal.None, 0, ct));
    }

    /// <summary>
    /// Brings the read model up to date with a bounded amount of inline work (<see cref="ResearchOptions.InlineCatchUpBatches"/>
    /// windows of 500 versions); the background worker does the rest. When versions older than
    /// <see cref="ResearchOptions.MaxIndexLagSeconds"/> are still waiting, the answer is <c>index_catching_up</c> (503 with
    /// Retry-After and how much is pending) rather than a request held open for minutes or a snapshot missing old content.
    /// </summary>
    private async Task<ResearchAnswer?> IndexBusyAsync(string logId, CancellationToken ct)
    {
        var done = await indexer.CatchUpAsync(options.InlineCatchUpBatches, ct);
        if (done.CaughtUp) return null;
        var lag = await indexer.LagAsync(ct);
        if (lag.OldestPending is not { } oldest || clock.GetUtcNow() - oldest <= TimeSpan.FromSeconds(options.MaxIndexLagSeconds)) return null;
        const int retry = 30;
        var data = new Dictionary<string, object?>
        {
            ["index"] = new Dictionary<string, object?> { ["status"] = "catching_up", ["pending_versions"] = lag.PendingIds, ["oldest_pending"] = oldest },
        };
        return new ResearchAnswer(ResearchErrors.IndexCatchingUp,
            $"the research index is catching up with ingestion: about {lag.PendingIds} stored versions, the oldest received {oldest:yyyy-MM-dd HH:mm:ss} UTC, are not indexed yet; retry in {retry} s (nothing was counted against the quota)",
            logId, data, null, retry);
    }

    /// <summary>
    /// Keeps where the page ending at <paramref name="cursor"/> stopped. The same page asked for twice stores the same position
    /// (the snapshot does not change), so a concurrent duplicate is simply ignored.
    /// </summary>
    private static async Task RememberAsync(BulwarkDbContext db, string searchId, int cursor, PagePosition last, DateTimeOffset now, CancellationToken ct)
    {
        // Insert and let a duplicate fail (rare: the same page asked for twice) rather than ask first: one round trip, not two.
        var row = new ResearchSearchPageRow { SearchId = searchId, Cursor = cursor, OrderValue = last.Order, KeyValue = last.Key, CreatedAt = now };
        db.Add(row);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.Entry(row).State = EntityState.Detached; }
    }

    /// <summary>The project's own query log, newest first.</summary>
    public async Task<List<LogEntry>> LogAsync(ResearchCaller caller, long? before, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<ResearchQueryLogRow>().AsNoTracking().Where(l => l.ProjectId == caller.Project.Id);
        if (before is { } b) q = q.Where(l => l.Id < b);
        var rows = await q.OrderByDescending(l => l.Id).Take(Math.Clamp(limit, 1, 100)).ToListAsync(ct);
        return rows.Select(r => new LogEntry(r.LogId, r.At, r.MemberId, r.Dataset, r.Kind, JsonDocument.Parse(r.QueryJson).RootElement.Clone(),
            r.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries), r.SearchId, r.RowCount, r.ResultHash)).ToList();
    }

    private static Dictionary<string, object?> Render(SuppressedTable t, IReadOnlyList<string> groupBy, int floor)
    {
        var cells = new List<Dictionary<string, object?>>();
        for (var r = 0; r < t.Rows.Count; r++)
            for (var c = 0; c < t.Columns.Count; c++)
            {
                if (t.Counts[r, c] == 0) continue;
                var keys = new Dictionary<string, string?> { [groupBy[0]] = t.Rows[r] };
                if (t.TwoWay) keys[groupBy[1]] = t.Columns[c];
                cells.Add(new() { ["keys"] = keys, ["count"] = t.CellSuppressed[r, c] ? null : t.Counts[r, c], ["suppressed"] = t.CellSuppressed[r, c] });
            }
        var data = new Dictionary<string, object?> { ["group_by"] = groupBy, ["floor"] = floor, ["cells"] = cells, ["total"] = t.TotalSuppressed ? null : t.Total };
        if (t.TwoWay)
        {
            data["row_totals"] = t.Rows.Select((k, i) => new Dictionary<string, object?> { [groupBy[0]] = k, ["count"] = t.RowTotalSuppressed[i] ? null : t.RowTotals[i], ["suppressed"] = t.RowTotalSuppressed[i] }).ToList();
            data["column_totals"] = t.Columns.Select((k, i) => new Dictionary<string, object?> { [groupBy[1]] = k, ["count"] = t.ColumnTotalSuppressed[i] ? null : t.ColumnTotals[i], ["suppressed"] = t.ColumnTotalSuppressed[i] }).ToList();
        }
        return data;
    }

    private async Task LogAsync(BulwarkDbContext db, string logId, ResearchCaller caller, string dataset, string kind, string queryJson,
        IReadOnlyList<string> fields, string? searchId, int rows, object result, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(result, Canonical)));
        db.Add(new ResearchQueryLogRow
        {
            LogId = logId, ProjectId = caller.Project.Id, MemberId = caller.MemberId, Dataset = dataset, Kind = kind, QueryJson = queryJson,
            Fields = string.Join(',', fields), SearchId = searchId, RowCount = rows, ResultHash = hash, At = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
    }

    public static (QueryConditions Conditions, string? Error) Conditions(QueryObject? query)
    {
        if (query is null) return (QueryConditions.Empty, null);
        var lists = new List<List<Condition>>();
        foreach (var (list, name) in new[] { (query.And, "and"), (query.Or, "or"), (query.Not, "not") })
        {
            var parsed = new List<Condition>();
            if (list is { Count: > 20 }) return (QueryConditions.Empty, $"query.{name} has {list.Count} conditions; at most 20");
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var c = list![i];
                if (c is null) return (QueryConditions.Empty, $"query.{name}[{i}] is null; a condition is {{field_name, operation, field_values}}");
                if (string.IsNullOrEmpty(c.FieldName)) return (QueryConditions.Empty, $"query.{name}[{i}].field_name is required");
                if (string.IsNullOrEmpty(c.Operation)) return (QueryConditions.Empty, $"query.{name}[{i}].operation is required; one of {string.Join(", ", Operations.All)}");
                if (c.FieldValues is null || c.FieldValues.Count == 0) return (QueryConditions.Empty, $"query.{name}[{i}].field_values is required (a non-empty array of strings)");
                if (c.FieldValues.Any(v => v is null)) return (QueryConditions.Empty, $"query.{name}[{i}].field_values contains null");
                parsed.Add(new Condition(c.FieldName, c.Operation, c.FieldValues));
            }
            lists.Add(parsed);
        }
        return (new QueryConditions(lists[0], lists[1], lists[2]), null);
    }

    /// <summary>start_date/end_date (YYYYMMDD, inclusive): required for dated datasets, in order, at most <paramref name="maxDays"/> days apart.</summary>
    public static (DateWindow? Window, string? Error) Window(QueryRequest r, ResearchDataset dataset, int maxDays)
    {
        if (dataset.DateField is null)
            return r.StartDate is null && r.EndDate is null ? (null, null) : (null, $"dataset '{dataset.Name}' has no date window; omit start_date and end_date");
        if (r.StartDate is null || r.EndDate is null) return (null, "start_date and end_date are required (YYYYMMDD, UTC, inclusive)");
        if (!DateOnly.TryParseExact(r.StartDate, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            return (null, $"start_date '{Clip(r.StartDate)}' is not a date as YYYYMMDD");
        if (!DateOnly.TryParseExact(r.EndDate, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            return (null, $"end_date '{Clip(r.EndDate)}' is not a date as YYYYMMDD");
        if (end < start) return (null, $"end_date {r.EndDate} is before start_date {r.StartDate}");
        if (end.DayNumber - start.DayNumber > maxDays) return (null, $"end_date must be at most {maxDays} days after start_date; these are {end.DayNumber - start.DayNumber} days apart");
        return (new DateWindow(start, end), null);
    }

    /// <summary>?fields=a,b: returned fields of the dataset; absent = every returned field the project is granted.</summary>
    private static (IReadOnlyList<string> Fields, string? Error) Fields(ResearchDataset dataset, string? fieldsParam, IReadOnlyList<string> granted)
    {
        if (string.IsNullOrWhiteSpace(fieldsParam))
        {
            var all = dataset.Fields.Where(f => f.Returned && granted.Contains(f.Name)).Select(f => f.Name).ToList();
            return all.Count == 0 ? ([], $"the project is granted no returned field of '{dataset.Name}'") : (all, null);
        }
        var names = fieldsParam.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        foreach (var n in names)
        {
            if (dataset.Field(n) is not { } f) return ([], $"fields: unknown field '{Clip(n)}' for dataset '{dataset.Name}'");
            if (!f.Returned) return ([], $"fields: '{n}' is a filter-only field and is not returned");
        }
        return names.Count == 0 ? ([], "fields names no field") : (names, null);
    }

    private static string NewLogId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
