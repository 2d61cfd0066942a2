using System.Globalization;
using System.Text;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>What the notice needs beyond the statement: the policy's user-facing name and explanation, and how to appeal.</summary>
/// <param name="PolicyName">The policy in the user's language (e.g. "Glorification of violent extremism").</param>
/// <param name="PolicyExplanation">Why the content breaks it, in the user's language.</param>
/// <param name="AppealUrl">Where the user files an internal complaint (DSA Art. 20).</param>
/// <param name="AppealDeadline">The last day to appeal (six months after the notice).</param>
public sealed record NoticeContext(string PolicyName, string PolicyExplanation, string AppealUrl, DateOnly AppealDeadline);

/// <summary>
/// The notice to the affected user (DSA Art. 17(3)) in English or Italian: what was restricted, where and for how long, the
/// facts, whether automated means were used, the policy or law and why, and how to seek redress. Other languages fall back
/// to English (add a <see cref="Texts"/> entry to support one).
/// </summary>
public static class SorNotice
{
    public static IReadOnlyCollection<string> Languages => Catalogue.Keys;

    public static string Render(StatementOfReasons s, NoticeContext context, string? language)
    {
        var primary = (language ?? "").Trim().ToLowerInvariant().Split('-', '_')[0]; // "it-IT" → "it"
        var t = Catalogue.GetValueOrDefault(primary) ?? Catalogue["en"];
        var culture = CultureInfo.GetCultureInfo(t.Culture);
        var sb = new StringBuilder();
        sb.AppendLine(t.Title).AppendLine();

        sb.AppendLine(t.WhatHeading);
        foreach (var v in s.DecisionVisibility ?? []) sb.AppendLine("- " + t.Restriction(v, Until(s.EndDateVisibilityRestriction, t, culture)));
        if (s.DecisionAccount is { } account) sb.AppendLine("- " + t.Restriction(account, Until(s.EndDateAccountRestriction, t, culture)));
        if (s.DecisionProvision is { } provision) sb.AppendLine("- " + t.Restriction(provision, Until(s.EndDateServiceRestriction, t, culture)));
        if (s.DecisionMonetary is { } monetary) sb.AppendLine("- " + t.Restriction(monetary, Until(s.EndDateMonetaryRestriction, t, culture)));
        sb.AppendLine();

        sb.AppendLine(t.WhereHeading);
        var scope = s.TerritorialScope ?? [];
        sb.AppendLine(scope.Count == 0 || scope.Count == SorVocabulary.EuropeanCountries.Count && SorVocabulary.EuropeanCountries.All(scope.Contains)
            ? t.Everywhere
            : string.Join(", ", scope.Select(c => CountryName(c, culture))));
        sb.AppendLine();

        // Written from the statement's structured fields in the notice's language, never the statement's free text.
        sb.AppendLine(t.FactsHeading).AppendLine(SorFacts.Write(s, context.PolicyName, primary == "it" ? "it" : "en")).AppendLine();

        sb.AppendLine(t.AutomationHeading);
        sb.AppendLine(s.AutomatedDetection == "Yes" ? t.DetectedAutomatically : t.DetectedByPeople);
        sb.AppendLine(s.AutomatedDecision switch
        {
            "AUTOMATED_DECISION_FULLY" => t.DecidedFully,
            "AUTOMATED_DECISION_PARTIALLY" => t.DecidedPartially,
            _ => t.DecidedByPeople,
        });
        sb.AppendLine();

        sb.AppendLine(t.GroundHeading);
        sb.AppendLine(context.PolicyName + ": " + context.PolicyExplanation);
        // The statement's ground texts are English; a notice in another language names the policy in that language instead
        // (the context's explanation above already says why, in the user's language).
        var english = t.Culture.StartsWith("en", StringComparison.Ordinal);
        if (s.DecisionGround == SorVocabulary.GroundIllegal)
        {
            sb.AppendLine(string.Format(culture, t.IllegalGround, s.IllegalContentLegalGround));
            if (english && !string.IsNullOrWhiteSpace(s.IllegalContentExplanation)) sb.AppendLine(s.IllegalContentExplanation);
        }
        else
        {
            sb.AppendLine(string.Format(culture, t.TermsGround, english ? s.IncompatibleContentGround : context.PolicyName));
            if (english && !string.IsNullOrWhiteSpace(s.IncompatibleContentExplanation) && s.IncompatibleContentExplanation != context.PolicyExplanation)
                sb.AppendLine(s.IncompatibleContentExplanation);
            if (s.IncompatibleContentIllegal == "Yes") sb.AppendLine(t.AlsoIllegal);
        }
        sb.AppendLine();

        sb.AppendLine(t.AppealHeading);
        sb.AppendLine(string.Format(culture, t.Appeal, context.AppealUrl, context.AppealDeadline.ToString("D", culture)));
        sb.AppendLine(t.OtherRedress);
        sb.AppendLine().AppendLine(string.Format(culture, t.Reference, s.Puid));
        return sb.ToString();
    }

    private static string Until(string? end, Texts t, CultureInfo culture) =>
        end is null ? t.Indefinitely : string.Format(culture, t.UntilDate, DateOnly.ParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("D", culture));

    private static string CountryName(string code, CultureInfo culture)
    {
        if (culture.TwoLetterISOLanguageName == "it" && ItalianCountryNames.TryGetValue(code, out var italian)) return italian;
        try { return new RegionInfo(code).EnglishName; }
        catch (ArgumentException) { return code; }
    }

    // RegionInfo names follow the process culture, not a chosen one; the Italian names of the EU/EEA states are listed here.
    private static readonly Dictionary<string, string> ItalianCountryNames = new()
    {
        ["AT"] = "Austria", ["BE"] = "Belgio", ["BG"] = "Bulgaria", ["CY"] = "Cipro", ["CZ"] = "Cechia", ["DE"] = "Germania", ["DK"] = "Danimarca",
        ["EE"] = "Estonia", ["ES"] = "Spagna", ["FI"] = "Finlandia", ["FR"] = "Francia", ["GR"] = "Grecia", ["HR"] = "Croazia", ["HU"] = "Ungheria",
        ["IE"] = "Irlanda", ["IS"] = "Islanda", ["IT"] = "Italia", ["LI"] = "Liechtenstein", ["LT"] = "Lituania", ["LU"] = "Lussemburgo",
        ["LV"] = "Lettonia", ["MT"] = "Malta", ["NL"] = "Paesi Bassi", ["NO"] = "Norvegia", ["PL"] = "Polonia", ["PT"] = "Portogallo",
        ["RO"] = "Romania", ["SE"] = "Svezia", ["SI"] = "Slovenia", ["SK"] = "Slovacchia",
    };

    public sealed record Texts(
        string Culture, string Title, string WhatHeading, IReadOnlyDictionary<string, string> Restrictions, string Indefinitely, string UntilDate,
        string WhereHeading, string Everywhere, string FactsHeading, string AutomationHeading, string DetectedAutomatically, string DetectedByPeople,
        string DecidedFully, string DecidedPartially, string DecidedByPeople, string GroundHeading, string IllegalGround, string TermsGround,
        string AppealHeading, string Appeal, string OtherRedress, string Reference, string AlsoIllegal)
    {
        public string Restriction(string key, string duration) => $"{Restrictions.GetValueOrDefault(key, key)} ({duration})";
    }

    private static readonly Dictionary<string, Texts> Catalogue = new()
    {
        ["en"] = new Texts("en-GB",
            "We have restricted your content or account",
            "What we did:",
            new Dictionary<string, string>
            {
                ["DECISION_VISIBILITY_CONTENT_REMOVED"] = "your content was removed",
                ["DECISION_VISIBILITY_CONTENT_DISABLED"] = "access to your content was disabled",
                ["DECISION_VISIBILITY_CONTENT_DEMOTED"] = "your content is no longer recommended",
                ["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"] = "your content is shown only to adults",
                ["DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED"] = "interaction with your content was restricted",
                ["DECISION_VISIBILITY_CONTENT_LABELLED"] = "your content was labelled",
                [SorVocabulary.VisibilityOther] = "access to your content was disabled while a reviewer assesses it",
                ["DECISION_ACCOUNT_SUSPENDED"] = "your account was suspended",
                ["DECISION_ACCOUNT_TERMINATED"] = "your account was permanently closed",
                ["DECISION_PROVISION_PARTIAL_SUSPENSION"] = "some features of the service were suspended for you",
                ["DECISION_PROVISION_TOTAL_SUSPENSION"] = "the service was suspended for you",
                ["DECISION_PROVISION_PARTIAL_TERMINATION"] = "some features of the service were withdrawn from you",
                ["DECISION_PROVISION_TOTAL_TERMINATION"] = "the service was withdrawn from you",
                ["DECISION_MONETARY_SUSPENSION"] = "payments to you were suspended",
                ["DECISION_MONETARY_TERMINATION"] = "payments to you were stopped",
            },
            "with no end date", "until {0}",
            "Where it applies:", "In every EU and EEA country.",
            "The facts and circumstances we relied on:",
            "Use of automated means:",
            "The content was detected by automated means.", "The content was identified by people (reports or our reviewers), not by automated means.",
            "The decision was taken by automated means alone.", "The decision was taken with the help of automated means and checked by people.",
            "The decision was taken by people.",
            "Why:", "We consider the content illegal under {0}.", "The content breaks our terms: {0}.",
            "How to appeal:",
            "You can ask us to review this decision at {0} until {1}. A different person will review it, never an automated system alone.",
            "You may also turn to a certified out-of-court dispute settlement body (DSA Article 21) or to a court.",
            "Reference: {0}",
            "We also consider content of this kind illegal."),
        ["it"] = new Texts("it-IT",
            "Abbiamo limitato i tuoi contenuti o il tuo account",
            "Cosa abbiamo fatto:",
            new Dictionary<string, string>
            {
                ["DECISION_VISIBILITY_CONTENT_REMOVED"] = "il tuo contenuto è stato rimosso",
                ["DECISION_VISIBILITY_CONTENT_DISABLED"] = "l'accesso al tuo contenuto è stato disabilitato",
                ["DECISION_VISIBILITY_CONTENT_DEMOTED"] = "il tuo contenuto non viene più consigliato",
                ["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"] = "il tuo contenuto è visibile solo agli adulti",
                ["DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED"] = "l'interazione con il tuo contenuto è stata limitata",
                ["DECISION_VISIBILITY_CONTENT_LABELLED"] = "al tuo contenuto è stata aggiunta un'etichetta",
                [SorVocabulary.VisibilityOther] = "l'accesso al tuo contenuto è stato disabilitato in attesa della verifica di un revisore",
                ["DECISION_ACCOUNT_SUSPENDED"] = "il tuo account è stato sospeso",
                ["DECISION_ACCOUNT_TERMINATED"] = "il tuo account è stato chiuso definitivamente",
                ["DECISION_PROVISION_PARTIAL_SUSPENSION"] = "alcune funzioni del servizio sono state sospese per te",
                ["DECISION_PROVISION_TOTAL_SUSPENSION"] = "il servizio è stato sospeso per te",
                ["DECISION_PROVISION_PARTIAL_TERMINATION"] = "alcune funzioni del servizio ti sono state revocate",
                ["DECISION_PROVISION_TOTAL_TERMINATION"] = "il servizio ti è stato revocato",
                ["DECISION_MONETARY_SUSPENSION"] = "i pagamenti a tuo favore sono stati sospesi",
                ["DECISION_MONETARY_TERMINATION"] = "i pagamenti a tuo favore sono stati interrotti",
            },
            "senza data di fine", "fino al {0}",
            "Dove si applica:", "In tutti i paesi dell'UE e del SEE.",
            "I fatti e le circostanze su cui ci siamo basati:",
            "Uso di strumenti automatizzati:",
            "Il contenuto è stato individuato con strumenti automatizzati.", "Il contenuto è stato individuato da persone (segnalazioni o nostri revisori), non da strumenti automatizzati.",
            "La decisione è stata presa esclusivamente con strumenti automatizzati.", "La decisione è stata presa con l'ausilio di strumenti automatizzati e verificata da persone.",
            "La decisione è stata presa da persone.",
            "Perché:", "Riteniamo il contenuto illegale ai sensi di {0}.", "Il contenuto viola i nostri termini, policy «{0}» delle linee guida della community.",
            "Come presentare ricorso:",
            "Puoi chiederci di riesaminare questa decisione su {0} entro il {1}. La esaminerà una persona diversa, mai soltanto un sistema automatizzato.",
            "Puoi anche rivolgerti a un organismo certificato di risoluzione extragiudiziale delle controversie (articolo 21 del DSA) o a un giudice.",
            "Riferimento: {0}",
            "Riteniamo inoltre illegali i contenuti di questo tipo."),
    };
}
