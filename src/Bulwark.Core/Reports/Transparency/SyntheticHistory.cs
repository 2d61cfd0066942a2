using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// Writes a plausible, clearly synthetic enforcement history (ids start with <c>synthetic-</c>, no text or media) for the demo
/// and the reporting benchmark: uploads across markets, removals by the pipeline and by moderators, bans, appeals and
/// blind QA, with a seeded random source so the same arguments always give the same history. Rows are written as the
/// pipeline writes them (multi-row inserts), never through the pipeline itself.
/// </summary>
public sealed class SyntheticHistory(IBulwarkDbFactory dbs)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly (string Country, int Weight)[] Markets =
        [("IT", 25), ("DE", 15), ("FR", 12), ("ES", 10), ("PL", 6), ("NL", 5), ("US", 10), ("BR", 7), ("IN", 5), ("", 5)];
    private static readonly (string Policy, string Rule, string Input, int Weight)[] Rules =
    [
        ("VE-DOI", "doi-known-media", "hash.pdq = 6", 22), ("VE-DOI", "doi-entity-caption", "entity.mention = 0.94", 18),
        ("VE-GLORIFY", "glorify-classifier", "classifier.glorification = 0.91", 18), ("VE-GLORIFY", "glorify-known-video", "hash.vpdq = 0.9", 12),
        ("VE-THREAT", "threat-credible", "speech.threat = 0.95", 15), ("VE-INSTRUCT", "instruct-classifier", "classifier.threat = 0.9", 15),
    ];

    public sealed record Result(int Accounts, int Uploads, int Decisions, int Appeals, int QaReviews);

    /// <summary>Writes <paramref name="days"/> days from <paramref name="start"/>, about <paramref name="uploadsPerDay"/> uploads a day,
    /// nothing stamped after <paramref name="now"/>. <paramref name="removalRate"/> is the share of uploads restricted.</summary>
    public async Task<Result> WriteAsync(DateOnly start, int days, int uploadsPerDay, DateTimeOffset now, int seed, double removalRate = 0.012, string prefix = "synthetic", CancellationToken ct = default)
    {
        var random = new Random(seed);
        var accounts = Enumerable.Range(1, Math.Max(50, uploadsPerDay * 3)).Select(i => new AccountRow
        {
            Id = $"{prefix}-acct-{i:D6}", Country = Pick(random, Markets, m => m.Weight).Country is { Length: > 0 } c ? c : null, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        var review = new ReviewOptions();
        int uploads = 0, decisions = 0, appeals = 0, qa = 0;
        await using (var db = dbs.Create())
        await using (var tx = await dbs.BeginWriteAsync(db, ct))
        {
            await BulkInsert.InsertAsync(db, accounts, ["Id", "Country", "LinksJson", "CreatedAt", "UpdatedAt"], null, ct);
            await tx.CommitAsync(ct);
        }
        for (var d = 0; d < days; d++)
        {
            var dayStart = new DateTimeOffset(start.AddDays(d).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (dayStart >= now) break;
            var count = (int)(uploadsPerDay * (0.8 + 0.4 * random.NextDouble()));
            var items = new List<ContentItem>(count);
            var versions = new List<ContentVersion>(count);
            var plans = new List<(int Index, DateTimeOffset At)>();
            for (var i = 0; i < count; i++)
            {
                var at = dayStart.AddSeconds(random.Next(86_400));
                if (at > now) continue;
                var id = $"{prefix}-{start.AddDays(d):yyyyMMdd}-{i:D6}";
                var kind = random.NextDouble() switch { < 0.55 => "video", < 0.80 => "comment", < 0.90 => "text", _ => "image" };
                var account = accounts[random.Next(accounts.Count)];
                var source = random.NextDouble() switch { < 0.97 => "upload", < 0.99 => "user_report", _ => "trusted_flagger" };
                long? views = random.NextDouble() switch { < 0.4 => 0, < 0.9 => random.Next(1, 5000), _ => null };
                var ev = new Dictionary<string, object?> { ["id"] = id, ["kind"] = kind, ["account"] = new { id = account.Id }, ["source"] = new { type = source }, ["viewCount"] = views };
                items.Add(new ContentItem { Id = id, Kind = kind, AccountId = account.Id, LatestVersion = 1, FirstSeenAt = at, UpdatedAt = at });
                versions.Add(new ContentVersion
                {
                    ContentId = id, Version = 1, Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))),
                    EventJson = JsonSerializer.Serialize(ev, Web), Status = ContentStatus.Decided, ReceivedAt = at, DecidedAt = at,
                });
                if (random.NextDouble() < removalRate) plans.Add((versions.Count - 1, at));
            }
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            await BulkInsert.InsertAsync(db, items, ["Id", "Kind", "AccountId", "LatestVersion", "FirstSeenAt", "UpdatedAt"], null, ct);
            var ids = await BulkInsert.InsertAsync(db, versions, ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "ReceivedAt", "DecidedAt"], ["Id"], ct);
            uploads += items.Count;

            var rows = new List<DecisionRow>();
            var confirmations = new List<(int Decision, DateTimeOffset At, string Moderator)>();
            foreach (var (index, at) in plans)
            {
                var item = items[index];
                var rule = Pick(random, Rules, r => r.Weight);
                var automated = random.NextDouble() < 0.75;
                var decidedAt = at.AddMinutes(automated ? random.Next(1, 30) : random.Next(1, 10));
                var actions = new List<DecisionAction>();
                if (random.NextDouble() < 0.9) actions.Add(new("content.remove", "content", item.Id, rule.Policy));
                else actions.Add(new("content.age_restrict", "content", item.Id, rule.Policy));
                if (random.NextDouble() < 0.03)
                    actions.Add(new("account.ban", "account", item.AccountId!, rule.Policy, new Dictionary<string, string> { ["permanent"] = "true", ["reason"] = $"zero tolerance: confirmed violation of {rule.Policy}" }));
                else if (random.NextDouble() < 0.05)
                    actions.Add(new("account.suspend", "account", item.AccountId!, rule.Policy, new Dictionary<string, string> { ["days"] = "7" }));
                var moderator = automated ? null : $"{prefix}-moderator-{random.Next(1, 9)}";
                rows.Add(new DecisionRow
                {
                    ContentVersionId = Convert.ToInt64(ids[index][0]), ContentId = item.Id, Outcome = automated ? Outcomes.Remove : Outcomes.Review,
                    Explanation = "Synthetic history (no real content).", Policy = rule.Policy, Automated = automated, ReviewedBy = moderator, DecidedAt = decidedAt,
                    RulesJson = JsonSerializer.Serialize(new[] { rule.Rule }, Web), ActionsJson = JsonSerializer.Serialize(actions, Web),
                    FiredJson = JsonSerializer.Serialize(new[] { new FiredRule(rule.Rule, rule.Policy, "enforce", [automated ? "remove" : "review"], null, [rule.Input]) }, Web),
                });
                if (!automated) confirmations.Add((rows.Count - 1, decidedAt.AddMinutes(random.Next(20, 60 * 30)), moderator!));
            }
            // Appeals are planned first: a reversal marks its decision (ReversedAt), as the appeal service does.
            var appealPlans = new Dictionary<int, (DateTimeOffset Received, DateTimeOffset? Decided, bool Reversed)>();
            for (var i = 0; i < rows.Count; i++)
            {
                if (random.NextDouble() >= 0.08) continue;
                var received = rows[i].DecidedAt.AddHours(random.Next(2, 120));
                if (received > now) continue;
                var decidedAt = received.AddMinutes(random.Next(120, 72 * 60));
                var decided = decidedAt <= now;
                var reversed = decided && random.NextDouble() < 0.2;
                appealPlans[i] = (received, decided ? decidedAt : null, reversed);
                if (reversed) rows[i].ReversedAt = decidedAt;
            }
            string[] decisionColumns = ["ContentVersionId", "ContentId", "Outcome", "Explanation", "Policy", "Automated", "ReviewedBy", "DecidedAt", "RulesJson", "ActionsJson", "FiredJson", "ShadowJson", "ReversedAt"];
            var decisionIds = await BulkInsert.InsertAsync(db, rows, decisionColumns, ["Id"], ct);
            decisions += rows.Count;

            var cases = new List<ReviewCaseRow>();
            foreach (var (i, at, moderator) in confirmations)
            {
                if (at > now) continue;
                var c = ReviewCases.New(review, ReviewCaseKind.Content, "glorification", Convert.ToInt64(decisionIds[i][0]), rows[i].ContentId, rows[i].ContentVersionId, null, rows[i].Policy, 2, 0.8, 0, "upload", rows[i].DecidedAt);
                (c.Status, c.Verdict, c.VerdictPolicy, c.DecidedBy, c.DecidedAt) = (ReviewCaseStatus.Decided, ReviewVerdict.Violation, rows[i].Policy, moderator, at);
                cases.Add(c);
            }
            var appealRows = new List<AppealRow>();
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                var id = Convert.ToInt64(decisionIds[i][0]);
                if (r.Automated && random.NextDouble() < 0.05)
                {
                    var at = r.DecidedAt.AddHours(random.Next(12, 72));
                    if (at <= now)
                    {
                        var agrees = random.NextDouble() < (r.RulesJson.Contains("known", StringComparison.Ordinal) ? 0.98 : 0.9);
                        var c = ReviewCases.New(review, ReviewCaseKind.Content, ReviewQueues.Qa, id, r.ContentId, r.ContentVersionId, null, r.Policy, 1, 0, 0, "upload", r.DecidedAt);
                        (c.Status, c.Verdict, c.DecidedBy, c.DecidedAt, c.QaAgrees) = (ReviewCaseStatus.Decided, agrees ? ReviewVerdict.Violation : ReviewVerdict.NoViolation, $"{prefix}-qa", at, agrees);
                        cases.Add(c);
                        qa++;
                    }
                }
                if (!appealPlans.TryGetValue(i, out var plan)) continue;
                var account = items.First(x => x.Id == r.ContentId).AccountId;
                appealRows.Add(new AppealRow
                {
                    DecisionId = id, ContentId = r.ContentId, ContentVersionId = r.ContentVersionId, AccountId = account, Policy = r.Policy,
                    Reason = "Synthetic appeal.", SubmittedBy = prefix, Status = plan.Decided is null ? AppealStatus.Open : AppealStatus.Decided, ReceivedAt = plan.Received,
                    DecisionAutomated = r.Automated, Outcome = plan.Decided is null ? null : plan.Reversed ? AppealOutcome.Reversed : AppealOutcome.Upheld,
                    DecidedBy = plan.Decided is null ? null : $"{prefix}-appeals", Statement = plan.Decided is null ? null : "Synthetic.", DecidedAt = plan.Decided,
                });
            }
            db.Set<ReviewCaseRow>().AddRange(cases);
            db.Set<AppealRow>().AddRange(appealRows);
            await db.SaveChangesAsync(ct);
            appeals += appealRows.Count;
            await tx.CommitAsync(ct);
        }
        return new Result(accounts.Count, uploads, decisions, appeals, qa);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> xs, Func<T, int> weight)
    {
        var total = xs.Sum(weight);
        var r = random.Next(total);
        foreach (var x in xs) { r -= weight(x); if (r < 0) return x; }
        return xs[^1];
    }
}
