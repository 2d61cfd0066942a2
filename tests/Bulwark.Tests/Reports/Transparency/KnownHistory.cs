using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>
/// A small, fully known history across the second quarter of 2026, written as the pipeline, reviewers and appeals write their
/// records, each stamped by the fake clock as it is advanced through the quarter. Every number the reports must show is
/// derived by hand in <see cref="ReconciliationTests"/> from the comments here.
/// </summary>
public sealed class KnownHistory(CoreServices core)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, long> _versions = [];

    public static DateTimeOffset At(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    public void Advance(DateTimeOffset to)
    {
        if (to > core.Clock.GetUtcNow()) core.Clock.SetUtcNow(to);
    }

    public async Task AccountAsync(string id, string? country)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        db.Accounts.Add(new AccountRow { Id = id, Country = country, CreatedAt = core.Clock.GetUtcNow(), UpdatedAt = core.Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    /// <summary>A new content item and its first version, received now.</summary>
    public async Task UploadAsync(string id, string kind, string account, string source, long? views, DateTimeOffset? createdAt = null)
    {
        var now = core.Clock.GetUtcNow();
        var ev = new Dictionary<string, object?> { ["id"] = id, ["kind"] = kind, ["account"] = new { id = account }, ["source"] = new { type = source } };
        if (views is { } v) ev["viewCount"] = v;
        if (createdAt is { } c) ev["createdAt"] = c;
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        db.ContentItems.Add(new ContentItem { Id = id, Kind = kind, AccountId = account, LatestVersion = 1, FirstSeenAt = createdAt ?? now, UpdatedAt = now });
        var version = new ContentVersion
        {
            ContentId = id, Version = 1, Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))),
            EventJson = JsonSerializer.Serialize(ev, Web), Status = ContentStatus.Decided, ReceivedAt = now, DecidedAt = now,
        };
        db.ContentVersions.Add(version);
        await db.SaveChangesAsync();
        _versions[id] = version.Id;
    }

    /// <summary>The pipeline's decision on the item's version, now.</summary>
    public async Task<long> DecideAsync(string contentId, string policy, string rule, string[] inputs, bool automated, params DecisionAction[] actions)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var d = new DecisionRow
        {
            ContentVersionId = _versions[contentId], ContentId = contentId, Outcome = actions.Any(a => a.Kind == "content.remove") ? Outcomes.Remove : actions.Length == 0 ? Outcomes.Review : Outcomes.Restrict,
            Explanation = "synthetic test decision", Policy = policy, Automated = automated, DecidedAt = core.Clock.GetUtcNow(),
            RulesJson = JsonSerializer.Serialize(new[] { rule }, Web), ActionsJson = JsonSerializer.Serialize(actions, Web),
            FiredJson = JsonSerializer.Serialize(new[] { new FiredRule(rule, policy, "enforce", ["remove"], null, inputs) }, Web),
        };
        db.Decisions.Add(d);
        await db.SaveChangesAsync();
        return d.Id;
    }

    /// <summary>A moderator confirms a decision now: the case is decided (violation) and the decision takes the actions.</summary>
    public async Task ConfirmAsync(long decisionId, string queue, string moderator, params DecisionAction[] actions)
    {
        var now = core.Clock.GetUtcNow();
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var d = await db.Decisions.FirstAsync(x => x.Id == decisionId);
        var c = ReviewCases.New(core.Get<ReviewOptions>(), ReviewCaseKind.Content, queue, decisionId, d.ContentId, d.ContentVersionId, null, d.Policy, 2, 0.5, 0, "user_report", now);
        c.Status = ReviewCaseStatus.Decided;
        c.Verdict = ReviewVerdict.Violation;
        c.VerdictPolicy = d.Policy;
        c.DecidedBy = moderator;
        c.DecidedAt = now;
        db.Set<ReviewCaseRow>().Add(c);
        d.ReviewedBy = moderator;
        d.Automated = false;
        d.ActionsJson = JsonSerializer.Serialize(actions, Web);
        await db.SaveChangesAsync();
    }

    public async Task<long> AppealAsync(long decisionId)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var d = await db.Decisions.FirstAsync(x => x.Id == decisionId);
        var account = await db.ContentItems.Where(i => i.Id == d.ContentId).Select(i => i.AccountId).FirstAsync();
        var a = new AppealRow
        {
            DecisionId = decisionId, ContentId = d.ContentId, ContentVersionId = d.ContentVersionId, AccountId = account, Policy = d.Policy, Reason = "synthetic appeal",
            SubmittedBy = "test", Status = AppealStatus.Open, ReceivedAt = core.Clock.GetUtcNow(), DecisionAutomated = d.Automated,
        };
        db.Set<AppealRow>().Add(a);
        await db.SaveChangesAsync();
        return a.Id;
    }

    public async Task DecideAppealAsync(long appealId, string outcome)
    {
        var now = core.Clock.GetUtcNow();
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var a = await db.Set<AppealRow>().FirstAsync(x => x.Id == appealId);
        a.Status = AppealStatus.Decided;
        a.Outcome = outcome;
        a.DecidedBy = "appeals-officer";
        a.DecidedAt = now;
        a.Statement = "synthetic";
        if (outcome == AppealOutcome.Reversed) (await db.Decisions.FirstAsync(x => x.Id == a.DecisionId)).ReversedAt = now;
        await db.SaveChangesAsync();
    }

    /// <summary>A blind QA re-review of an automated decision, decided now.</summary>
    public async Task QaAsync(long decisionId, bool agrees)
    {
        var now = core.Clock.GetUtcNow();
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var d = await db.Decisions.FirstAsync(x => x.Id == decisionId);
        var c = ReviewCases.New(core.Get<ReviewOptions>(), ReviewCaseKind.Content, ReviewQueues.Qa, decisionId, d.ContentId, d.ContentVersionId, null, d.Policy, 1, 0, 0, "upload", now);
        c.Status = ReviewCaseStatus.Decided;
        c.Verdict = agrees ? ReviewVerdict.Violation : ReviewVerdict.NoViolation;
        c.DecidedBy = "qa-reviewer";
        c.DecidedAt = now;
        c.QaAgrees = agrees;
        db.Set<ReviewCaseRow>().Add(c);
        await db.SaveChangesAsync();
    }

    public static DecisionAction Remove(string id, string policy) => new("content.remove", "content", id, policy);
    public static DecisionAction Strike(string account, string policy) => new("account.strike", "account", account, policy, new Dictionary<string, string> { ["weight"] = "1" });

    /// <summary>
    /// The quarter. Settings should set <c>Bulwark:Transparency:AutomatedQaSampleRate</c> to 0 (the QA cases are written here).
    /// </summary>
    public async Task WriteQuarterAsync(Func<Task>? midQuarter = null)
    {
        Advance(At(3, 30, 9));
        await AccountAsync("acct-it", "IT");
        await AccountAsync("acct-de", "de");
        await AccountAsync("acct-fr", "FR");
        await AccountAsync("acct-none", null);
        // Before the quarter: an upload on 30 March removed on 31 March (counted in Q1, not Q2).
        await UploadAsync("pre-q", "video", "acct-it", "upload", 0);
        Advance(At(3, 31, 10));
        await DecideAsync("pre-q", "VE-DOI", "doi-known-media", ["hash.pdq = 2"], true, Remove("pre-q", "VE-DOI"));

        // 1. 2 April: a video (IT, 0 views) removed by the pipeline 5 minutes after upload on a PDQ match.
        Advance(At(4, 2, 10));
        await UploadAsync("v1", "video", "acct-it", "upload", 0);
        Advance(At(4, 2, 10, 5));
        D1 = await DecideAsync("v1", "VE-DOI", "doi-known-media", ["hash.pdq = 4"], true, Remove("v1", "VE-DOI"), Strike("acct-it", "VE-DOI"));
        // Two more uploads nobody acts on (a video and a comment).
        Advance(At(4, 3, 8));
        await UploadAsync("v-quiet", "video", "acct-it", "upload", 12);
        Advance(At(4, 4, 8));
        await UploadAsync("c-quiet", "comment", "acct-de", "upload", 3);

        // 2. A comment (DE) created 9 April, reported by a user on 10 April, sent to review, confirmed on 11 April (49 h after creation).
        Advance(At(4, 10, 8));
        await UploadAsync("c2", "comment", "acct-de", "user_report", 50, createdAt: At(4, 9, 8));
        D2 = await DecideAsync("c2", "VE-GLORIFY", "glorify-review", ["classifier.glorification = 0.81"], true);
        Advance(At(4, 11, 9));
        await ConfirmAsync(D2, "glorification", "demo-mod", Remove("c2", "VE-GLORIFY"));

        // 3. 5 May: a video (FR) flagged by a trusted flagger, no view count, removed automatically with a zero-tolerance ban;
        //    appealed on 6 May and reversed 48 h later.
        Advance(At(5, 5, 11));
        await UploadAsync("v3", "video", "acct-fr", "trusted_flagger", null);
        Advance(At(5, 5, 12));
        D3 = await DecideAsync("v3", "VE-THREAT", "threat-credible", ["speech.threat = 0.93"], true, Remove("v3", "VE-THREAT"),
            new DecisionAction("account.ban", "account", "acct-fr", "VE-THREAT", new Dictionary<string, string> { ["permanent"] = "true", ["reason"] = "zero tolerance: credible-threat of VE-THREAT" }));
        Advance(At(5, 6, 10));
        var a3 = await AppealAsync(D3);
        Advance(At(5, 8, 10));
        await DecideAppealAsync(a3, AppealOutcome.Reversed);

        if (midQuarter is not null) { Advance(At(5, 11, 0, 5)); await midQuarter(); }

        // 4. 1 June: a text (no country) age-restricted, not removed.
        Advance(At(6, 1, 9));
        await UploadAsync("t4", "text", "acct-none", "upload", 3);
        D4 = await DecideAsync("t4", "VE-GLORIFY", "glorify-age", ["classifier.glorification = 0.7"], true, new DecisionAction("content.age_restrict", "content", "t4", "VE-GLORIFY"));

        // 5. 2 June: a video (IT, 0 views) removed 30 minutes after upload, the account suspended; appealed, upheld 12 h later.
        Advance(At(6, 2, 9));
        await UploadAsync("v5", "video", "acct-it", "upload", 0);
        Advance(At(6, 2, 9, 30));
        D5 = await DecideAsync("v5", "VE-INSTRUCT", "instruct-classifier", ["classifier.threat = 0.97"], true, Remove("v5", "VE-INSTRUCT"),
            new DecisionAction("account.suspend", "account", "acct-it", "VE-INSTRUCT", new Dictionary<string, string> { ["days"] = "7" }));
        Advance(At(6, 3, 0));
        var a5 = await AppealAsync(D5);
        Advance(At(6, 3, 12));
        await DecideAppealAsync(a5, AppealOutcome.Upheld);

        // 6. 20 June: an exception applied, only a label: not a restriction.
        Advance(At(6, 20, 9));
        await UploadAsync("v6", "video", "acct-fr", "upload", 100);
        await DecideAsync("v6", "VE-GLORIFY", "glorify-news", ["classifier.glorification = 0.6"], true,
            new DecisionAction("content.label", "content", "v6", "VE-GLORIFY", new Dictionary<string, string> { ["text"] = "news" }));

        // 7. 25 June: blind QA of two automated decisions: the PDQ removal is confirmed, the classifier removal is not.
        Advance(At(6, 25, 15));
        await QaAsync(D1, agrees: true);
        await QaAsync(D5, agrees: false);

        // After the quarter: an upload and a removal on 1 July (not in Q2).
        Advance(At(7, 1, 10));
        await UploadAsync("post-q", "video", "acct-de", "upload", 0);
        await DecideAsync("post-q", "VE-DOI", "doi-known-media", ["hash.pdq = 1"], true, Remove("post-q", "VE-DOI"));
        Advance(At(7, 2, 1));
    }

    public long D1 { get; private set; }
    public long D2 { get; private set; }
    public long D3 { get; private set; }
    public long D4 { get; private set; }
    public long D5 { get; private set; }

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Bulwark:Transparency:AutomatedQaSampleRate"] = "0",
    };
}
