using System.Globalization;
using System.Security.Claims;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Security;

namespace Bulwark.Server.ConsoleUi;

/// <summary>What the review pages share: the signed-in user as the review services see them, and how times are shown.</summary>
public static class ReviewUi
{
    /// <summary>
    /// A vocabulary word the services store (an outcome such as <c>remove</c>, a verdict such as <c>no-violation</c>) in the
    /// page's language, from the <c>Word.*</c> resources; a word without one is shown as stored.
    /// </summary>
    public static string Word(Microsoft.Extensions.Localization.IStringLocalizer localizer, string? word)
    {
        if (string.IsNullOrEmpty(word)) return "";
        var text = localizer["Word." + word];
        return text.ResourceNotFound ? word : text.Value;
    }

    /// <summary>
    /// A refusal or note of the restriction writer, or a refusal of the review service, in the page's language, from its stable
    /// code (<c>Restrict_Refusal_{code}</c>, <c>Restrict_Note_{code}</c>, or <c>Review_Refusal_{code}</c>, see <see cref="ReviewCodes"/>); measure kinds among its values are named as the form names them. A code without a
    /// resource is shown in English, as the API sends it.
    /// </summary>
    public static string Restriction(Microsoft.Extensions.Localization.IStringLocalizer localizer, Bulwark.Core.Actions.Restrictions.RestrictionMessage message, bool note = false)
    {
        var args = message.Args.Select(a => a is string s ? MeasureOrWord(localizer, s) : a).ToArray();
        // Zero tolerance speaks of the violation kind first: named in the page's language (Italian nouns differ in gender, so
        // the sentence is built around "confirmed as …" and needs no article or agreement).
        if (message.Code is RestrictionCodes.ZeroToleranceBan or RestrictionCodes.ZeroToleranceNotListed or RestrictionCodes.ZeroToleranceNotPermitted
            && message.Args is [string kind, ..])
            args[0] = ViolationKind(localizer, kind);
        // A verdict among a review refusal's values is a word of the vocabulary (violation, no-violation …).
        if (message.Code == ReviewCodes.CaseAlreadyDecided && message.Args is [_, string verdict, ..]) args[1] = Word(localizer, verdict);
        if (message.Code == ReviewCodes.BulkVerdictNotAllowed && message.Args is [string given, ..]) args[0] = Word(localizer, given);
        var prefix = ReviewCodes.IsReviewCode(message.Code) ? "Review_Refusal_" : note ? "Restrict_Note_" : "Restrict_Refusal_";
        var text = localizer[prefix + message.Code, args];
        return text.ResourceNotFound ? message.English : text.Value;
    }

    /// <summary>
    /// A violation kind (<c>support</c>, <c>credible-threat</c>, or <c>violation</c> when none was named) in the page's language,
    /// from the <c>ViolationKind.*</c> resources; a kind a policy admin added to the catalogue without words is shown as named.
    /// </summary>
    public static string ViolationKind(Microsoft.Extensions.Localization.IStringLocalizer localizer, string kind)
    {
        var text = localizer["ViolationKind." + kind];
        return text.ResourceNotFound ? kind : text.Value;
    }

    /// <summary>A refusal shown by a page: worded from its code when it has one, else the service's message.</summary>
    public static string Refusal(Microsoft.Extensions.Localization.IStringLocalizer localizer, Bulwark.Core.Actions.Restrictions.RestrictionMessage? why, string? message) =>
        why is not null ? Restriction(localizer, why) : message ?? "";

    private static object MeasureOrWord(Microsoft.Extensions.Localization.IStringLocalizer localizer, string value)
    {
        if (value.StartsWith("content.", StringComparison.Ordinal) || value.StartsWith("account.", StringComparison.Ordinal))
        {
            var measure = localizer["Measure." + value];
            if (!measure.ResourceNotFound) return measure.Value;
        }
        return value == "violation" ? Word(localizer, value) : value;
    }

    /// <summary>
    /// What a decided case did, in the page's language, from its verdict and the measures confirmed (the stored outcome text
    /// is English and stays for the audit and the API): the measures of a violation, or what the verdict means.
    /// </summary>
    public static string Outcome(Microsoft.Extensions.Localization.IStringLocalizer localizer, ReviewDecisionResult result) => result.Verdict switch
    {
        // Content measures were not taken when the platform had deleted the content already: the outcome says so instead.
        ReviewVerdict.Violation when result.ContentDeletedUpstream =>
            string.Join(", ", result.Actions.Where(a => !a.StartsWith("content.", StringComparison.Ordinal)).Select(a => MeasureOrWord(localizer, a))
                .DefaultIfEmpty(localizer["Restrict_Outcome_NoMeasure"].Value).Append(localizer["Restrict_Outcome_DeletedUpstream"].Value)),
        ReviewVerdict.Violation when result.Actions.Count > 0 => string.Join(", ", result.Actions.Select(a => MeasureOrWord(localizer, a))),
        ReviewVerdict.Violation => localizer["Restrict_Outcome_NoMeasure"],
        ReviewVerdict.NoViolation => localizer["Restrict_Outcome_NoViolation"],
        ReviewVerdict.Escalate when result.EscalatedTo is { } queue => localizer["Restrict_Outcome_EscalatedTo", queue],
        ReviewVerdict.Escalate => localizer["Restrict_Outcome_Escalated"],
        ReviewVerdict.Uphold => localizer["Restrict_Outcome_Upheld"],
        ReviewVerdict.Reverse => localizer["Restrict_Outcome_Reversed"],
        _ => localizer["Restrict_Outcome_Recorded"],
    };

    /// <summary>The user's name and console roles; the services check the roles again on every change.</summary>
    public static ReviewUser ReviewUser(this ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? throw new InvalidOperationException("The review pages need a signed-in user."),
            ConsoleRoles.All.Where(user.IsInRole).ToHashSet(StringComparer.Ordinal));

    /// <summary>A duration as "1 h 05 min", "12 min" or "40 s"; negative durations (SLA breaches) as their absolute value.</summary>
    public static string Duration(TimeSpan t)
    {
        t = t.Duration();
        if (t.TotalDays >= 1) return string.Create(CultureInfo.CurrentCulture, $"{(int)t.TotalDays} d {t.Hours} h");
        if (t.TotalHours >= 1) return string.Create(CultureInfo.CurrentCulture, $"{(int)t.TotalHours} h {t.Minutes:00} min");
        if (t.TotalMinutes >= 1) return string.Create(CultureInfo.CurrentCulture, $"{(int)t.TotalMinutes} min");
        return string.Create(CultureInfo.CurrentCulture, $"{(int)t.TotalSeconds} s");
    }

    public static string Percent(double rate) => rate.ToString("P0", CultureInfo.CurrentCulture);

    public static string Score(double? score) => score?.ToString("0.000", CultureInfo.CurrentCulture) ?? "";

    /// <summary>Media types the media endpoint serves as themselves; anything else is sent as an opaque download.</summary>
    public static readonly IReadOnlySet<string> ServableTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", "video/webm", "video/ogg",
    };

    public static bool IsImage(string? mime) => mime is not null && mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase);
    public static bool IsVideo(string? mime) => mime is not null && mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Texts longer than this are shown collapsed with a "show all" button, so a huge caption cannot push the page away.</summary>
    public const int LongText = 1500;

    public static bool IsLong(string? text) => text is { Length: > LongText };

    /// <summary>The media index a known-content signal's explanation starts with (<c>media[2] …</c>), or null.</summary>
    public static int? MediaIndexOf(string explanation)
    {
        if (!explanation.StartsWith("media[", StringComparison.Ordinal)) return null;
        var end = explanation.IndexOf(']', 6);
        return end > 6 && int.TryParse(explanation.AsSpan(6, end - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
    }

    /// <summary>Submission ids are opaque to the user; a fresh one per rendered form makes a double submit record once.</summary>
    public static string NewSubmissionId() => Guid.NewGuid().ToString("N");
}

/// <summary>What a decision form offers: the catalogue's policies, the actions the user's roles may take, the exceptions.</summary>
public sealed record DecisionChoices(IReadOnlyList<(string Id, string Title)> Policies, IReadOnlyList<string> Actions, IReadOnlyList<string> Exceptions, IReadOnlyList<string> EscalationQueues)
{
    /// <summary>Each policy's default measures (<c>Measures.DefaultsOf</c>): what the form starts from when that policy is chosen.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Defaults { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> DefaultsOf(string? policy) => policy is not null && Defaults.TryGetValue(policy, out var d) ? d : [];

    private static readonly string[] ActionKinds = ["content.remove", "content.age_restrict", "content.exclude_recommendations", "account.strike", "account.suspend", "account.ban"];

    /// <summary>Escalation targets: the built-in queues and those configured under <c>Bulwark:Review:Queues</c>, in display order; never appeals or QA.</summary>
    public static async Task<DecisionChoices> LoadAsync(Bulwark.Core.Policy.PolicyStore policies, Bulwark.Core.Actions.Review.ReviewOptions options,
        Bulwark.Core.Actions.Review.ReviewUser user, CancellationToken ct)
    {
        var catalogue = await policies.GetCatalogueAsync(ct);
        // Policy titles in the page's language: the catalogue's Italian name in Italian, its title otherwise.
        var italian = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "it";
        var list = (catalogue.Policies ?? []).Where(p => p.Id is not null)
            .Select(p => (p.Id!, italian && p.Name?.It is { Length: > 0 } it ? it : p.Title ?? p.Id!)).ToList();
        var actions = ActionKinds.Where(a => ConsoleRoles.MayTake(user.Roles, a)).ToList();
        var queues = Bulwark.Core.Actions.Review.ReviewOptions.BuiltIn.Keys.Union(options.Queues.Keys, StringComparer.Ordinal).Select(options.Queue)
            .Where(q => q.Name is not (Bulwark.Core.Actions.Review.ReviewQueues.Appeals or Bulwark.Core.Actions.Review.ReviewQueues.Qa or Bulwark.Core.Actions.Review.ReviewQueues.QaDisagreement))
            .OrderBy(q => q.Order).ThenBy(q => q.Name, StringComparer.Ordinal).Select(q => q.Name).ToList();
        var defaults = (catalogue.Policies ?? []).Where(p => p.Id is not null)
            .ToDictionary(p => p.Id!, p => (IReadOnlyList<string>)Bulwark.Core.Actions.Restrictions.Measures.DefaultsOf(p), StringComparer.Ordinal);
        return new DecisionChoices(list, actions, [.. Bulwark.Core.Actions.Review.ReviewDecisionService.Exceptions.Order(StringComparer.Ordinal)], queues) { Defaults = defaults };
    }
}

/// <summary>The model of the shared decision fields partial.</summary>
public sealed record DecisionFieldsView(DecisionChoices Choices, string Queue, string? SuggestedPolicy, string SubmissionId, bool Appeal, bool Escalate)
{
    /// <summary>The measures ticked when the form opens: the suggested policy's defaults (a confirmed violation removes by default).</summary>
    public bool Checked(string action) => Choices.DefaultsOf(SuggestedPolicy).Contains(action);
}

/// <summary>
/// What a decision will do, before it is recorded: the restriction writer's plan for the form's fields, and the fields to post
/// again (with the consequences the plan shows) when the reviewer confirms it.
/// </summary>
public sealed record DecisionSummaryView(Bulwark.Core.Actions.Restrictions.RestrictionPlan Plan, Bulwark.Core.Actions.Review.ReviewDecisionRequest Request, int SuspensionDays);

/// <summary>A piece of a text field: plain, or part of a matched span (rendered inside &lt;mark&gt;, still encoded).</summary>
public sealed record TextSegment(string Text, bool Marked);

public static class TextSegments
{
    /// <summary>
    /// Cuts <paramref name="text"/> at the given spans [start, end); overlapping or out-of-range spans are skipped, so the
    /// pieces always add up to the text exactly.
    /// </summary>
    public static IReadOnlyList<TextSegment> Cut(string text, IEnumerable<(int Start, int End)> spans)
    {
        var list = new List<TextSegment>();
        var at = 0;
        foreach (var (start, end) in spans.Where(s => s.Start >= 0 && s.End > s.Start && s.End <= text.Length).OrderBy(s => s.Start).ThenBy(s => s.End))
        {
            if (start < at) continue;
            if (start > at) list.Add(new TextSegment(text[at..start], false));
            list.Add(new TextSegment(text[start..end], true));
            at = end;
        }
        if (at < text.Length) list.Add(new TextSegment(text[at..], false));
        return list;
    }
}

/// <summary>The model of the short case list partial.</summary>
public sealed record CaseListView(string Id, string Queue, IReadOnlyList<Bulwark.Core.Actions.Review.ReviewCaseSummary> Items);
