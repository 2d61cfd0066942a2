using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;

namespace Bulwark.Core.Actions.Review;

/// <summary>Who is working: the user name and roles the console's login supplies (the services do not know Identity).</summary>
public sealed record ReviewUser(string Name, IReadOnlySet<string> Roles)
{
    public ReviewUser(string name, params string[] roles) : this(name, roles.ToHashSet(StringComparer.Ordinal)) { }
}

/// <summary>How cases are ranked and built. Pure, so the ordering can be tested without a database.</summary>
public static class ReviewCases
{
    /// <summary>Authority orders and trusted flaggers come first, then partner alerts, user reports, then everything else.</summary>
    public static int SourceRank(string? source) => source switch
    {
        "authority_order" or "trusted_flagger" => 0,
        "partner_alert" => 1,
        "user_report" => 2,
        _ => 3,
    };

    public static int Severity(string outcome, string? priority) => outcome == Outcomes.Escalate ? 4 : priority switch
    {
        "high" => 3,
        "low" => 1,
        _ => 2,
    };

    /// <summary>
    /// The precomputed order within a queue, ascending: source rank, then severity, confidence and reach (highest first),
    /// then the oldest. Fixed-width digits, so string order is rank order on every database collation.
    /// </summary>
    public static string SortKey(string? source, int severity, double confidence, long reach, DateTimeOffset createdAt)
    {
        var conf = 1000 - (int)Math.Round(Math.Clamp(confidence, 0, 1) * 1000);
        var inverseReach = 999_999_999_999L - Math.Clamp(reach, 0, 999_999_999_999L);
        return string.Create(CultureInfo.InvariantCulture,
            $"{SourceRank(source)}{9 - Math.Clamp(severity, 0, 9)}{conf:D4}{inverseReach:D12}{createdAt.UtcTicks:D19}");
    }

    /// <summary>The strongest evidence among the signals: a classifier, entity or ban-evasion score, or how close a hash match is.</summary>
    public static double Confidence(IEnumerable<(string Type, double? Score, int? Distance)> signals)
    {
        double best = 0;
        foreach (var (type, score, distance) in signals)
        {
            double c;
            if (type == SignalTypes.HashMatch) c = distance is { } d ? 1 - Math.Min(d, 256) / 256.0 : 1;
            else if (type.StartsWith("classifier.", StringComparison.Ordinal) || type.StartsWith("entity.", StringComparison.Ordinal)
                     || type == Signals.Accounts.BanEvasionExtractor.SignalType) c = score ?? 0;
            else continue;
            best = Math.Max(best, Math.Clamp(c, 0, 1));
        }
        return best;
    }

    /// <summary>A case for a pipeline decision sent to <c>review</c> or <c>escalate</c>.</summary>
    public static ReviewCaseRow ForDecision(ReviewOptions options, PipelineContext context, Decision decision, long decisionId, DateTimeOffset now)
    {
        var queue = decision.Queue ?? "review";
        var accountRule = decision.Fired.Any(f => f.Mode == "enforce" && f.Outcomes.Any(o => o.StartsWith("review_account", StringComparison.Ordinal)
            && o.Contains($"\"{queue}\"", StringComparison.Ordinal)));
        var severity = Severity(decision.Outcome, decision.Priority);
        var confidence = Confidence(context.Signals.Select(s => (s.Type, s.Score, s.Distance)));
        return New(options, accountRule ? ReviewCaseKind.Account : ReviewCaseKind.Content, queue, decisionId, context.ContentId, context.VersionId,
            context.Event.Account?.Id, decision.Policy, severity, confidence, context.Event.ViewCount ?? 0, context.Event.Source?.Type, now);
    }

    public static ReviewCaseRow New(ReviewOptions options, string kind, string queue, long? decisionId, string contentId, long versionId, string? accountId,
        string? policy, int severity, double confidence, long reach, string? source, DateTimeOffset now) => new()
    {
        Kind = kind, Queue = queue, Status = ReviewCaseStatus.Open, DecisionId = decisionId, ContentId = contentId, ContentVersionId = versionId,
        AccountId = accountId, Policy = policy, Severity = severity, Confidence = Math.Round(confidence, 4), Reach = Math.Max(0, reach),
        Source = source ?? "upload", CreatedAt = now, DueAt = now + options.Queue(queue).Sla,
        SortKey = SortKey(source, severity, confidence, reach, now),
    };

    /// <summary>A follow-up case (QA, disagreement, escalation) on the same item, ranked like its subject but newly created.</summary>
    /// <summary>
    /// The users a follow-up case must not go to, as stored in <see cref="ReviewCaseRow.ExcludedReviewer"/>: names joined
    /// by ',' (a character console user names cannot contain), or null when there is none.
    /// </summary>
    public static string? Exclude(params string?[] users)
    {
        var names = users.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return names.Count == 0 ? null : string.Join(',', names);
    }

    public static ReviewCaseRow FollowUp(ReviewOptions options, ReviewCaseRow subject, string queue, DateTimeOffset now, string? excluded)
    {
        var c = New(options, subject.Kind, queue, subject.DecisionId, subject.ContentId, subject.ContentVersionId, subject.AccountId, subject.Policy,
            subject.Severity, subject.Confidence, subject.Reach, subject.Source, now);
        c.SubjectCaseId = subject.Id;
        c.ExcludedReviewer = excluded;
        return c;
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static ContentEvent? ReadEvent(string json)
    {
        try { return JsonSerializer.Deserialize(json, IngestJson.Default.ContentEvent); }
        catch (JsonException) { return null; }
    }
}
