using Bulwark.Core.Actions.Review.Search;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>What a search looks for.</summary>
public static class SearchKinds
{
    public const string Auto = "auto";
    public const string Content = "content";
    public const string Account = "account";
    public const string Hash = "hash";
    public const string Text = "text";
    public const string Entity = "entity";
    public static readonly IReadOnlyList<string> All = [Auto, Content, Account, Hash, Text, Entity];
}

/// <summary>A case of a found item; <see cref="MayOpen"/> when the searcher may see it (their queue, or an auditor).</summary>
public sealed record SearchCase(long Id, string Queue, string Status, bool MayOpen);

/// <summary>
/// A found item. Its text is shown only when the searcher may see every case it has (a moderator does not read a
/// threat-to-life item through search); otherwise <see cref="FirstLine"/> is null and <see cref="Withheld"/> is set.
/// </summary>
public sealed record SearchHit(string ContentId, string Kind, string? AccountId, DateTimeOffset UpdatedAt, string? FirstLine, bool Withheld,
    IReadOnlyList<SearchCase> Cases, string MatchedBy);

/// <param name="IndexBehind">
/// Set when the search used the index (hash, text, entity) and the index has not yet reached everything written: how long ago
/// the oldest item it has not indexed arrived. Items received since may be missing from the results.
/// </param>
public sealed record SearchResults(string Query, string Kind, IReadOnlyList<SearchHit> Hits, bool More, TimeSpan? IndexBehind = null);

/// <summary>
/// Search for the console: by content id, account id or handle, media hash (SHA-256, as sent with the event), text (words
/// of the caption, transcript, hashtags and the account's handle, name and bio, each matched as a word start) or designated
/// entity (id or name: items whose screening named it). Text, hash and entity go through the index of
/// <see cref="ContentSearchIndex"/> (FTS5 / PostgreSQL full-text), newest first. Results follow the searcher's roles. Opening
/// a case for a found item is audited.
/// </summary>
public sealed class CaseSearchService(IBulwarkDbFactory dbs, ReviewOptions options, AuditLog audit, TimeProvider clock, ContentSearchIndexer indexer)
{
    /// <summary>Windows of the index a search writes at most before it runs (the background worker does the rest).</summary>
    internal const int CatchUpWindows = 2;

    public const int MaxHits = 50;
    public const int MaxQuery = 200;

    public static bool MaySearch(ReviewUser user) => ConsoleRoles.Deciders.Any(user.Roles.Contains) || user.Roles.Contains(ConsoleRoles.Auditor);

    public async Task<ReviewResult<SearchResults>> SearchAsync(string? query, string? kind, ReviewUser user, CancellationToken ct)
    {
        if (!MaySearch(user)) return ReviewResult<SearchResults>.Fail(ReviewError.Forbidden, "Search is for moderators, legal officers and auditors.");
        var q = query?.Trim() ?? "";
        kind = string.IsNullOrEmpty(kind) ? SearchKinds.Auto : kind;
        if (!SearchKinds.All.Contains(kind)) return ReviewResult<SearchResults>.Fail(ReviewError.Invalid, $"kind must be one of {string.Join(", ", SearchKinds.All)}; got '{Cut(kind)}'.");
        if (q.Length == 0) return ReviewResult<SearchResults>.Fail(ReviewError.Invalid, "Type what to search for.");
        if (q.Length > MaxQuery) return ReviewResult<SearchResults>.Fail(ReviewError.Invalid, $"A search is at most {MaxQuery} characters; this one has {q.Length}.");
        if (kind == SearchKinds.Hash && !IsHash(q)) return ReviewResult<SearchResults>.Fail(ReviewError.Invalid, "A hash is the 64 hexadecimal characters of a SHA-256, as sent with the event's media.");
        if (kind == SearchKinds.Text && q.Length < 3) return ReviewResult<SearchResults>.Fail(ReviewError.Invalid, "A text search needs at least 3 characters.");
        var (terms, termError) = SearchTerms.Parse(q);
        if (kind == SearchKinds.Text && termError is not null) return ReviewResult<SearchResults>.Fail(ReviewError.Invalid, termError);

        // The index is written behind ingestion (ContentSearchIndexer): catch it up a little, then say how far behind it still is.
        TimeSpan? behind = null;
        if (kind is not (SearchKinds.Content or SearchKinds.Account))
        {
            await indexer.CatchUpAsync(CatchUpWindows, ct);
            if (await indexer.LagAsync(ct) is { } oldest) behind = TimeSpan.FromSeconds(Math.Max(0, Math.Ceiling((clock.GetUtcNow() - oldest).TotalSeconds)));
        }
        await using var db = dbs.Create();
        var found = new List<(string Id, string By)>();
        void Add(IEnumerable<string> ids, string by) { foreach (var id in ids) if (found.All(f => f.Id != id)) found.Add((id, by)); }
        var auto = kind == SearchKinds.Auto;
        if (auto || kind == SearchKinds.Content)
            Add(await db.ContentItems.AsNoTracking().Where(i => i.Id == q).Select(i => i.Id).ToListAsync(ct), SearchKinds.Content);
        if (auto || kind == SearchKinds.Account)
        {
            var handle = q.TrimStart('@');
            var accounts = await db.Accounts.AsNoTracking().Where(a => a.Id == q || a.Handle == handle || a.Handle == q).Select(a => a.Id).Take(20).ToListAsync(ct);
            if (!accounts.Contains(q)) accounts.Add(q);
            Add(await db.ContentItems.AsNoTracking().Where(i => i.AccountId != null && accounts.Contains(i.AccountId)).OrderByDescending(i => i.UpdatedAt)
                .Select(i => i.Id).Take(MaxHits + 1).ToListAsync(ct), SearchKinds.Account);
        }
        if ((auto && IsHash(q)) || kind == SearchKinds.Hash)
            Add(await ContentSearchIndex.FindHashAsync(db, q.ToLowerInvariant(), MaxHits + 1, ct), SearchKinds.Hash);
        if (kind == SearchKinds.Entity)
            Add(await ContentSearchIndex.FindEntityAsync(db, await EntitiesAsync(db, q, ct), MaxHits + 1, ct), SearchKinds.Entity);
        if ((auto && found.Count == 0 && q.Length >= 3 && termError is null) || kind == SearchKinds.Text)
            Add(await ContentSearchIndex.FindTextAsync(db, terms, MaxHits + 1, ct), SearchKinds.Text);

        var more = found.Count > MaxHits;
        var ids = found.Take(MaxHits).Select(f => f.Id).ToList();
        var items = await db.ContentItems.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var cases = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => ids.Contains(c.ContentId)).OrderByDescending(c => c.Id).Take(MaxHits * 10).ToListAsync(ct);
        var latest = await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.ContentId))
            .Join(db.ContentItems, v => new { v.ContentId, v.Version }, i => new { ContentId = i.Id, Version = i.LatestVersion }, (v, i) => new { v.ContentId, v.EventJson })
            .ToDictionaryAsync(v => v.ContentId, v => v.EventJson, ct);
        var hits = new List<SearchHit>();
        foreach (var (id, by) in found.Take(MaxHits))
        {
            if (!items.TryGetValue(id, out var item)) continue;
            var its = new List<SearchCase>();
            foreach (var c in cases.Where(c => c.ContentId == id))
                its.Add(new SearchCase(c.Id, c.Queue, c.Status, user.Roles.Contains(ConsoleRoles.Auditor) || await ReviewQueueService.MayNotSeeAsync(db, options, c, user, ct) is null));
            var withheld = its.Any(c => !c.MayOpen);
            var e = latest.TryGetValue(id, out var json) ? ReviewCases.ReadEvent(json) : null;
            hits.Add(new SearchHit(id, item.Kind, item.AccountId, item.UpdatedAt, withheld ? null : CaseContextService.FirstLine(e?.Text ?? e?.Transcript), withheld, its, by));
        }
        return ReviewResult<SearchResults>.Success(new SearchResults(q, kind, hits, more, behind));
    }

    /// <summary>
    /// Opens a review case for an item outside the pipeline's routing (a moderator found it through search), in a queue the
    /// user works, on the item's latest decided version. An open case of the item in that queue is returned instead of a second
    /// one. Audited with the reason.
    /// </summary>
    public async Task<ReviewResult<long>> OpenCaseAsync(string contentId, string? queue, string? reason, ReviewUser user, CancellationToken ct)
    {
        queue = string.IsNullOrWhiteSpace(queue) ? "review" : queue.Trim();
        if (ReviewQueueService.IsAboutAnotherReview(queue)) return ReviewResult<long>.Fail(ReviewError.Invalid, $"Queue '{queue}' takes appeals and QA samples only; choose a review queue.");
        if (!options.Queue(queue).MayWork(user.Roles))
            return ReviewResult<long>.Fail(ReviewError.Forbidden, $"Queue '{queue}' is worked by {string.Join(", ", options.Queue(queue).Roles)}; your roles are {ReviewQueueService.Roles(user)}.");
        if (string.IsNullOrWhiteSpace(reason)) return ReviewResult<long>.Fail(ReviewError.Invalid, "Say why you open a case for this item (the reason is audited).");
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var item = await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == contentId, ct);
        if (item is null) return ReviewResult<long>.Fail(ReviewError.NotFound, $"There is no content '{Cut(contentId)}'.");
        var decision = await db.Decisions.AsNoTracking().Where(d => d.ContentId == contentId).OrderByDescending(d => d.Id)
            .Select(d => new { d.Id, d.ContentVersionId, d.Policy, d.Priority, d.Outcome }).FirstOrDefaultAsync(ct);
        if (decision is null) return ReviewResult<long>.Fail(ReviewError.Invalid, $"'{Cut(contentId)}' has no decision yet; the pipeline decides it first.");
        var existing = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == contentId && c.Queue == queue && c.Status == ReviewCaseStatus.Open)
            .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (existing is { } open) return ReviewResult<long>.Success(open);
        var others = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == contentId).ToListAsync(ct);
        foreach (var other in others)
            if (await ReviewQueueService.MayNotSeeAsync(db, options, other, user, ct) is { } hidden) return ReviewResult<long>.Fail(ReviewError.Forbidden, hidden);
        var json = await db.ContentVersions.AsNoTracking().Where(v => v.Id == decision.ContentVersionId).Select(v => v.EventJson).FirstAsync(ct);
        var e = ReviewCases.ReadEvent(json);
        var row = ReviewCases.New(options, ReviewCaseKind.Content, queue, decision.Id, contentId, decision.ContentVersionId, item.AccountId, decision.Policy,
            ReviewCases.Severity(decision.Outcome, decision.Priority), 0, e?.ViewCount ?? 0, e?.Source?.Type, now);
        db.Set<ReviewCaseRow>().Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(user.Name, "review.case_opened", $"review-case:{row.Id}", null, $"open in {queue} for {contentId} (decision {decision.Id})", reason.Trim())], ct);
        await tx.CommitAsync(ct);
        return ReviewResult<long>.Success(row.Id);
    }

    /// <summary>Designated entities by id, primary name or one of their terms (case-insensitive, whole value), at most 20.</summary>
    private static async Task<List<long>> EntitiesAsync(BulwarkDbContext db, string q, CancellationToken ct)
    {
        if (long.TryParse(q, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)) return [id];
        var lower = q.ToLowerInvariant();
        return await db.Set<Bulwark.Core.Signals.Entities.DesignatedEntityRow>().AsNoTracking()
            .Where(e => e.PrimaryName.ToLower() == lower || e.Terms.Any(t => t.Value.ToLower() == lower))
            .OrderBy(e => e.Id).Select(e => e.Id).Take(20).ToListAsync(ct);
    }

    public static bool IsHash(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigit);

    private static string Cut(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
