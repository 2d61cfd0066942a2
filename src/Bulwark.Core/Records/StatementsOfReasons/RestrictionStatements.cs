using System.Globalization;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Catalogue;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>How a restriction was decided, which sets <c>automated_detection</c> and <c>automated_decision</c>.</summary>
public enum DecisionPath
{
    /// <summary>The pipeline's rules acted on their own: fully automated.</summary>
    Pipeline,
    /// <summary>A person confirmed what the pipeline flagged (<c>RestrictionWriter.CommitAsync</c>): partially automated.</summary>
    HumanConfirmation,
}

/// <summary>
/// What a restriction statement is built from: the decision's enforced actions, the policy and the event. The decision's
/// <c>Explanation</c> and <c>Rules</c> are internal (bank and entry names, partner lists, rule ids, thresholds) and are
/// never written into the statement; they are kept here for callers' logs.
/// </summary>
public sealed record RestrictionFacts(
    long DecisionId, string Puid, string PolicyId, IReadOnlyList<DecisionAction> Actions, ContentEvent Event,
    string Explanation, IReadOnlyList<string> Rules, DecisionPath Path, DateTimeOffset ContentReceivedAt, IReadOnlyList<string> ExtraPersonalTerms);

/// <summary>
/// Turns a decision's enforced actions into a DSA Article 17 statement of reasons. Which action is which DSA restriction:
/// <list type="bullet">
/// <item><c>content.remove</c> → <c>DECISION_VISIBILITY_CONTENT_REMOVED</c>; <c>content.restrict_regions</c> → <c>…_DISABLED</c>
/// in the listed EU/EEA countries (none listed there: not a restriction in the EU); <c>content.age_restrict</c> →
/// <c>…_AGE_RESTRICTED</c>; <c>content.exclude_recommendations</c> → <c>…_DEMOTED</c>; <c>content.label</c> → <c>…_LABELLED</c>
/// only next to another restriction (alone it is context shown when an exception applies, not a restriction).</item>
/// <item><c>account.suspend</c> → <c>DECISION_ACCOUNT_SUSPENDED</c> until its end; <c>account.ban</c> →
/// <c>DECISION_ACCOUNT_TERMINATED</c>; <c>account.restrict_feature</c> → <c>DECISION_PROVISION_PARTIAL_SUSPENSION</c>.</item>
/// <item><c>account.strike</c> and <c>account.warn</c> restrict nothing by themselves (a strike only counts towards a later
/// suspension or ban, which gets its own statement).</item>
/// </list>
/// The ground is always the Community Guidelines (<c>DECISION_GROUND_INCOMPATIBLE_CONTENT</c>): the pipeline assesses content
/// against the terms, not against a Member State's law, but every policy maps to a terrorist-content ground of Reg. 2021/784
/// Art. 2(7), so <c>incompatible_content_illegal</c> is <c>Yes</c> when the policy names one.
/// </summary>
public static class RestrictionStatements
{
    public const string GroundReferencePrefix = "Community Guidelines, violent extremism policy ";
    public const int MaxFacts = 5000;

    /// <summary>The statement's input, or null when none of the actions restricts anything in the EU/EEA.</summary>
    public static SorInput? InputFor(RestrictionFacts f, PolicyCatalogue catalogue, DateTimeOffset now, int suspensionDaysDefault)
    {
        var content = new List<ContentRestriction>();
        var scope = new List<string>();
        var global = false;
        var interim = false;
        AccountRestriction? account = null;
        ServiceRestriction? service = null;
        DateOnly? accountEnds = null;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var a in f.Actions)
            switch (a.Kind)
            {
                case "content.remove": content.Add(ContentRestriction.Removed); global = true; break;
                case "content.age_restrict": content.Add(ContentRestriction.AgeRestricted); global = true; break;
                case "content.exclude_recommendations": content.Add(ContentRestriction.Demoted); global = true; break;
                case "content.restrict_regions":
                    var regions = (a.Details?.GetValueOrDefault("regions") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(r => r.ToUpperInvariant() == "EL" ? "GR" : r.ToUpperInvariant()).Where(SorVocabulary.EuropeanCountryCodes.Contains).ToList();
                    if (regions.Count > 0) { content.Add(ContentRestriction.Disabled); scope.AddRange(regions); }
                    break;
                case "account.ban": account = AccountRestriction.Terminated; accountEnds = null; global = true; break;
                case "account.suspend" when account != AccountRestriction.Terminated:
                    account = AccountRestriction.Suspended;
                    var days = a.Details?.GetValueOrDefault("days") is { } d && int.TryParse(d, CultureInfo.InvariantCulture, out var n) ? n : suspensionDaysDefault;
                    accountEnds = today.AddDays(days);
                    global = true;
                    break;
                case "account.restrict_feature": service = ServiceRestriction.PartialSuspension; global = true; break;
                // Hidden at once on escalation (threat-to-life) until a reviewer decides: a restriction, so a statement is due.
                case "content.restrict" when a.Details?.GetValueOrDefault("interim") == "true": interim = true; global = true; break;
            }
        // Beside a removal or another kind the interim restriction adds nothing to say.
        interim = interim && content.Count == 0;
        if (content.Count > 0 && f.Actions.Any(a => a.Kind == "content.label")) content.Add(ContentRestriction.Labelled);
        if (content.Count == 0 && account is null && service is null && !interim) return null;

        var policy = catalogue.Find(f.PolicyId);
        var e = f.Event;
        var source = e.Source?.Type switch
        {
            "trusted_flagger" => SorSource.TrustedFlagger,
            "user_report" => SorSource.Article16Notice,
            "partner_alert" or "authority_order" => SorSource.OtherNotification,
            _ => SorSource.Voluntary,
        };
        var contentDate = DateOnly.FromDateTime((e.CreatedAt ?? f.ContentReceivedAt).UtcDateTime);
        if (contentDate > today) contentDate = today; // a platform clock ahead of ours must not put the content after the decision
        var language = e.Language?.Split('-', '_')[0];
        return new SorInput
        {
            Puid = f.Puid,
            DecisionId = f.DecisionId,
            ContentRestrictions = content.Distinct().ToList(),
            AccountRestriction = account,
            AccountRestrictionEnds = account == AccountRestriction.Suspended ? accountEnds : null,
            ServiceRestriction = service,
            Category = policy?.DsaCategory ?? "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
            Keywords = policy?.DsaKeywords ?? [],
            Ground = DecisionGround.IncompatibleContent,
            GroundReference = GroundReferencePrefix + f.PolicyId + (policy?.Title is { } title ? $" ({title})" : ""),
            GroundExplanation = interim
                ? $"The content may threaten someone's life or safety under the {f.PolicyId} policy of the Community Guidelines; access to it is disabled until a reviewer decides whether it breaks that policy."
                : policy?.Explanation?.En ?? $"The content breaks the {f.PolicyId} policy of the Community Guidelines.",
            // Nothing is found yet while a reviewer decides, so the statement does not say the content is also illegal.
            AlsoIllegal = !interim && policy?.TerroristContentGrounds is { Count: > 0 },
            VisibilityOther = interim ? SorVocabulary.InterimRestriction : null,
            // Facts are written from the structured fields (SorFacts), never from the decision's explanation or rules.
            PolicyId = f.PolicyId,
            PolicyName = policy?.Name?.En ?? policy?.Title ?? f.PolicyId,
            ContentTypes = ContentTypes(e),
            ContentDate = contentDate,
            ApplicationDate = today,
            TerritorialScope = global || scope.Count == 0 ? ["EEA"] : scope.Distinct().ToList(),
            Language = language is { Length: 2 } ? language : null,
            Source = source,
            // An organisation's name only (the event's source.name); the reference is a ticket number, not a name, so it is not used.
            TrustedFlaggerName = source == SorSource.TrustedFlagger && !string.IsNullOrWhiteSpace(e.Source?.Name) ? e.Source!.Name!.Trim() : null,
            // Own-initiative detection is the pipeline's matching; with a notice, people identified the content.
            AutomatedDetection = source == SorSource.Voluntary,
            // A person confirming what the pipeline proposed decides with the help of automated means: partially automated.
            AutomatedDecision = f.Path == DecisionPath.Pipeline ? Automation.Fully : Automation.Partially,
            PersonalTerms = PersonalTerms(f),
        };
    }

    /// <summary>
    /// Builds and records the statement in <paramref name="db"/>'s unit of work. When the decision's own explanation quotes
    /// personal data, a generic factual sentence replaces it (the statement is public); any other refusal is returned
    /// rather than thrown, so that a statement problem never blocks the restriction itself.
    /// </summary>
    public static (StatementOfReasons? Statement, IReadOnlyList<FieldError> Errors, bool GenericFacts) Record(
        StatementOfReasonsService service, Storage.BulwarkDbContext db, SorInput input, RestrictionFacts f)
    {
        try { return (service.Record(db, input), [], false); }
        catch (SorValidationException ex) when (ex.Errors.All(x => x.Field == "decision_facts"))
        {
            try { return (service.Record(db, input with { Facts = GenericFacts(f) }), [], true); }
            catch (SorValidationException again) { return (null, again.Errors, true); }
        }
        catch (SorValidationException ex) { return (null, ex.Errors, false); }
    }

    public static string GenericFacts(RestrictionFacts f) =>
        (f.Path == DecisionPath.Pipeline
            ? $"Automated means found that the {KindName(f.Event)} breaks the {f.PolicyId} policy."
            : $"A reviewer confirmed that the {KindName(f.Event)} breaks the {f.PolicyId} policy.")
        + " The details are withheld because they would identify the account holder.";

    private static string KindName(ContentEvent e) => e.Kind switch { "video" or "livestream" => "video", "image" => "image", "profile" => "profile", _ => "post" };

    private static List<SorContentType> ContentTypes(ContentEvent e)
    {
        var types = new List<SorContentType>();
        switch (e.Kind)
        {
            case "video" or "livestream": types.Add(SorContentType.Video); break;
            case "image": types.Add(SorContentType.Image); break;
            default: types.Add(SorContentType.Text); break;
        }
        foreach (var m in e.Media ?? [])
        {
            var mime = m.MimeType ?? "";
            if (mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase)) types.Add(SorContentType.Video);
            else if (mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase)) types.Add(SorContentType.Image);
            else if (mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)) types.Add(SorContentType.Audio);
        }
        if (!string.IsNullOrWhiteSpace(e.Text) && e.Kind is "video" or "image" or "livestream") types.Add(SorContentType.Text);
        return types.Distinct().ToList();
    }

    private static List<string> PersonalTerms(RestrictionFacts f)
    {
        var terms = new List<string?> { f.Event.Account?.Handle, f.Event.Account?.DisplayName, f.Event.Account?.Id };
        terms.AddRange(f.ExtraPersonalTerms);
        return terms.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).Distinct().ToList();
    }
}
