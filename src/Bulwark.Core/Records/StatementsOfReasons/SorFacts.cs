namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>
/// The "facts and circumstances" of a statement (<c>decision_facts</c>) and of its user notice, written from the statement's
/// structured fields only: what kind of content, how it came to our attention (source type), whether automated means detected
/// it and took the decision, and the policy by its user-facing name. Never from a decision's internal explanation, which
/// names hash banks and their entries, partner lists, rule ids and strike thresholds: a statement is public, and those
/// names would tell an uploader which list caught them and how to evade it. English and Italian; other languages read English.
/// </summary>
public static class SorFacts
{
    public static string Write(StatementOfReasons s, string policyName, string? language)
    {
        var it = (language ?? "").Trim().StartsWith("it", StringComparison.OrdinalIgnoreCase);
        var kind = Kind(s.ContentType, it);
        var detected = (s.SourceType, s.AutomatedDetection == "Yes", it) switch
        {
            ("SOURCE_TRUSTED_FLAGGER", _, false) => $"A trusted flagger notified us of {kind}.",
            ("SOURCE_TRUSTED_FLAGGER", _, true) => $"Un segnalatore attendibile ci ha segnalato {kind}.",
            ("SOURCE_ARTICLE_16", _, false) => $"Someone reported {kind} to us through our notice and action mechanism.",
            ("SOURCE_ARTICLE_16", _, true) => $"Qualcuno ci ha segnalato {kind} tramite il nostro meccanismo di segnalazione.",
            ("SOURCE_TYPE_OTHER_NOTIFICATION", _, false) => $"A notification from outside the platform brought {kind} to our attention.",
            ("SOURCE_TYPE_OTHER_NOTIFICATION", _, true) => $"Una notifica esterna alla piattaforma ci ha segnalato {kind}.",
            (_, true, false) => $"Our automated systems detected {kind} on our own initiative.",
            (_, true, true) => $"I nostri sistemi automatizzati hanno individuato {kind} di nostra iniziativa.",
            (_, false, false) => $"Our reviewers found {kind} on our own initiative.",
            (_, false, true) => $"I nostri revisori hanno individuato {kind} di nostra iniziativa.",
        };
        var decided = (s.AutomatedDecision, it) switch
        {
            _ when Interim(s) && !it => $"Because it may threaten someone's life or safety, access to it is disabled until a reviewer decides whether it breaks our policy \"{policyName}\".",
            _ when Interim(s) => $"Poiché potrebbe minacciare la vita o la sicurezza di qualcuno, l'accesso è disabilitato finché un revisore non stabilisce se viola la nostra policy «{policyName}».",
            ("AUTOMATED_DECISION_FULLY", false) => $"Our automated systems found that it breaks our policy \"{policyName}\" and applied the decision without a person reviewing it first.",
            ("AUTOMATED_DECISION_FULLY", true) => $"I nostri sistemi automatizzati hanno stabilito che viola la nostra policy «{policyName}» e hanno applicato la decisione senza una verifica preventiva da parte di una persona.",
            ("AUTOMATED_DECISION_PARTIALLY", false) => $"A reviewer, with the help of our automated systems, confirmed that it breaks our policy \"{policyName}\".",
            ("AUTOMATED_DECISION_PARTIALLY", true) => $"Un revisore, con l'ausilio dei nostri sistemi automatizzati, ha confermato che viola la nostra policy «{policyName}».",
            (_, false) => $"A reviewer assessed it and found that it breaks our policy \"{policyName}\".",
            (_, true) => $"Un revisore lo ha esaminato e ha stabilito che viola la nostra policy «{policyName}».",
        };
        return detected + " " + decided;
    }

    /// <summary>A restriction while a reviewer decides (<see cref="SorVocabulary.InterimRestriction"/>): nothing is found yet.</summary>
    public static bool Interim(StatementOfReasons s) => s.DecisionVisibilityOther == SorVocabulary.InterimRestriction;

    // The first content type is the item's own kind (the rest are its parts).
    private static string Kind(IReadOnlyList<string>? types, bool it) => (types is { Count: > 0 } ? types[0] : "CONTENT_TYPE_TEXT", it) switch
    {
        ("CONTENT_TYPE_VIDEO", false) => "this video",
        ("CONTENT_TYPE_VIDEO", true) => "il contenuto (un video)",
        ("CONTENT_TYPE_IMAGE", false) => "this image",
        ("CONTENT_TYPE_IMAGE", true) => "il contenuto (un'immagine)",
        ("CONTENT_TYPE_AUDIO", false) => "this audio",
        ("CONTENT_TYPE_AUDIO", true) => "il contenuto (un audio)",
        (_, false) => "this post",
        (_, true) => "il contenuto (un post)",
    };
}
