namespace Bulwark.Core.Records.StatementsOfReasons;

public enum ContentRestriction { Removed, Disabled, Demoted, AgeRestricted, InteractionRestricted, Labelled }
public enum AccountRestriction { Suspended, Terminated }
public enum ServiceRestriction { PartialSuspension, TotalSuspension, PartialTermination, TotalTermination }
public enum MonetaryRestriction { Suspension, Termination }
public enum DecisionGround { IllegalContent, IncompatibleContent }
public enum SorSource { Article16Notice, TrustedFlagger, OtherNotification, Voluntary }
public enum Automation { Fully, Partially, NotAutomated }
public enum SorContentType { App, Audio, Image, Product, SyntheticMedia, Text, Video }

/// <summary>
/// What the policy engine knows about a restriction, in its own terms; <see cref="SorBuilder"/> turns it into the database's
/// schema. Free text (facts, explanations) must describe the content and the decision, never the person: anything in
/// <see cref="PersonalTerms"/> (the account's handle, display name…), e-mail addresses, @handles and phone numbers are refused.
/// </summary>
public sealed record SorInput
{
    /// <summary>Unique per statement, never reused: letters, digits, '-' and '_' (e.g. <c>bulwark-decision-42</c>).</summary>
    public required string Puid { get; init; }
    public long? DecisionId { get; init; }

    public IReadOnlyList<ContentRestriction> ContentRestrictions { get; init; } = [];
    public AccountRestriction? AccountRestriction { get; init; }
    public ServiceRestriction? ServiceRestriction { get; init; }
    public MonetaryRestriction? MonetaryRestriction { get; init; }
    /// <summary>Business or private account; null when unknown.</summary>
    public bool? BusinessAccount { get; init; }

    /// <summary>A DSA category key, e.g. <c>STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY</c>.</summary>
    public required string Category { get; init; }
    public IReadOnlyList<string> AdditionalCategories { get; init; } = [];
    /// <summary>Keyword keys, e.g. <c>KEYWORD_TERRORIST_CONTENT</c>.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? OtherKeyword { get; init; }

    public required DecisionGround Ground { get; init; }
    /// <summary>Illegal content: the law relied on (e.g. Regulation (EU) 2021/784 Art. 2(7)). Incompatible content: the terms section.</summary>
    public required string GroundReference { get; init; }
    public required string GroundExplanation { get; init; }
    /// <summary>For incompatible content: whether it is also considered illegal.</summary>
    public bool? AlsoIllegal { get; init; }
    public string? GroundReferenceUrl { get; init; }

    /// <summary>
    /// The facts and circumstances. Null (the default): written by <see cref="SorFacts"/> from the structured fields (content
    /// type, source type, automation, <see cref="PolicyName"/>), which is how every restriction's statement is written; a
    /// caller giving its own text must keep internal names (lists, entries, partners, rules, thresholds) out of it.
    /// </summary>
    public string? Facts { get; init; }
    /// <summary>The policy's id in the catalogue (e.g. <c>VE-GLORIFY</c>); null when the ground is not a catalogue policy.</summary>
    public string? PolicyId { get; init; }
    /// <summary>The policy's user-facing name in English, used by the written facts; null: the ground reference is used.</summary>
    public string? PolicyName { get; init; }
    public required IReadOnlyList<SorContentType> ContentTypes { get; init; }
    public required DateOnly ContentDate { get; init; }
    public required DateOnly ApplicationDate { get; init; }
    /// <summary>Null: indefinite.</summary>
    public DateOnly? VisibilityRestrictionEnds { get; init; }
    /// <summary>A visibility restriction none of the listed kinds describes (<c>DECISION_VISIBILITY_OTHER</c>), in a few words.</summary>
    public string? VisibilityOther { get; init; }
    public DateOnly? AccountRestrictionEnds { get; init; }
    public DateOnly? ServiceRestrictionEnds { get; init; }
    public DateOnly? MonetaryRestrictionEnds { get; init; }

    /// <summary>Country codes (EU/EEA; <c>EL</c> is accepted for Greece and written <c>GR</c>), or <c>EEA</c> for all of them.</summary>
    public IReadOnlyList<string> TerritorialScope { get; init; } = ["EEA"];
    /// <summary>ISO 639-1, any case (<c>it</c>).</summary>
    public string? Language { get; init; }

    public required SorSource Source { get; init; }
    /// <summary>A trusted flagger's (organisation's) name; never an individual notifier's. Ignored for other sources.</summary>
    public string? TrustedFlaggerName { get; init; }
    public required bool AutomatedDetection { get; init; }
    public required Automation AutomatedDecision { get; init; }

    /// <summary>Words that identify the affected person (handle, display name, real name) and must not appear in any text.</summary>
    public IReadOnlyList<string> PersonalTerms { get; init; } = [];
}
