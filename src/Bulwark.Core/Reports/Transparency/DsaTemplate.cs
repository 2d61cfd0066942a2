namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// The structure of the harmonised template of Commission Implementing Regulation (EU) 2024/2835, Annex I, as its sheets
/// are filled and published by providers (the Commission's XLSX has eleven sheets; reports published as CSV use one file
/// per sheet, numbered 1 to 11): the sheet names, and the category tree of the "Category names" sheet (categories 1 to 15,
/// each with its sub-categories and a final KEYWORD_OTHER). Checked against harmonised reports published in 2026 (see
/// docs/transparency.md for what was compared and what is still unsure).
/// </summary>
public static class DsaTemplate
{
    /// <summary>The template's sheets, in order: the DSA report writes one CSV per sheet, <c>{n}_{name}.csv</c>.</summary>
    public static readonly IReadOnlyList<string> Sheets =
    [
        "report_identification", "categories_names", "member_states_orders", "notices", "own_initiative_illegal", "own_initiative_TC",
        "appeals_and_recidivism", "automated_means", "human_resources", "AMAR", "qualitative",
    ];

    public sealed record Category(string Code, string Label, IReadOnlyList<(string Code, string Label)> Keywords);

    public const string Other = "KEYWORD_OTHER";
    private const string OtherLabel = "Not captured by any other sub-category";

    /// <summary>Categories 1–14 (illegal content; tables 3, 4, 5) and 15 (other violations of the terms and conditions; table 6 only).</summary>
    public static readonly IReadOnlyList<Category> Categories =
    [
        C("STATEMENT_CATEGORY_ANIMAL_WELFARE", "Animal welfare", ("KEYWORD_ANIMAL_HARM", "Animal harm"), ("KEYWORD_UNLAWFUL_SALE_ANIMALS", "Unlawful sale of animals")),
        C("STATEMENT_CATEGORY_CONSUMER_INFORMATION", "Consumer information infringements",
            ("KEYWORD_HIDDEN_ADVERTISEMENT", "Hidden advertisement or commercial communication, including by influencers"),
            ("KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS", "Insufficient information on traders"),
            ("KEYWORD_MISLEADING_INFO_GOODS_SERVICES", "Misleading information about the characteristics of the goods and services"),
            ("KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS", "Misleading information about the consumer’s rights"),
            ("KEYWORD_NONCOMPLIANCE_PRICING", "Non-compliance with pricing regulations")),
        C("STATEMENT_CATEGORY_CYBER_VIOLENCE", "Cyber violence",
            ("KEYWORD_CYBER_BULLYING_INTIMIDATION", "Cyber bullying and intimidation"), ("KEYWORD_CYBER_HARASSMENT", "Cyber harassment"),
            ("KEYWORD_CYBER_INCITEMENT", "Cyber incitement to hatred or violence"), ("KEYWORD_CYBER_STALKING", "Cyber stalking"),
            ("KEYWORD_NON_CONSENSUAL_IMAGE_SHARING", "Non-consensual (intimate) material sharing, including (image-based) sexual abuse (excluding content depicting minors)"),
            ("KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE", "Non-consensual sharing of material containing deepfake or similar technology using a third party's features (excluding content depicting minors)")),
        C("STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN", "Cyber violence against women",
            ("KEYWORD_BULLYING_AGAINST_GIRLS", "Cyber bullying and intimidation against girls"), ("KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN", "Cyber harassment against women"),
            ("KEYWORD_CYBER_STALKING_AGAINST_WOMEN", "Cyber stalking against women"), ("KEYWORD_FEMALE_GENDERED_DISINFORMATION", "Gendered disinformation"),
            ("KEYWORD_INCITEMENT_AGAINST_WOMEN", "Illegal incitement to violence and hatred against women"),
            ("KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN", "Non-consensual (intimate) material sharing against women, including (image-based) sexual abuse against women (excluding content depicting minors)"),
            ("KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN", "Non-consensual sharing of material containing deepfake or similar technology using a third party's features against women (excluding content depicting minors)")),
        C("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "Data protection and privacy violations",
            ("KEYWORD_BIOMETRIC_DATA_BREACH", "Biometric data breach"), ("KEYWORD_DATA_FALSIFICATION", "Data falsification"),
            ("KEYWORD_MISSING_PROCESSING_GROUND", "Missing processing ground for data"), ("KEYWORD_RIGHT_TO_BE_FORGOTTEN", "Right to be forgotten")),
        C("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "Illegal or harmful speech",
            ("KEYWORD_DEFAMATION", "Defamation"), ("KEYWORD_DISCRIMINATION", "Discrimination"),
            ("KEYWORD_HATE_SPEECH", "Illegal incitement to violence and hatred based on protected characteristics (hate speech)")),
        C("STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", "Intellectual property infringements",
            ("KEYWORD_COPYRIGHT_INFRINGEMENT", "Copyright infringements"), ("KEYWORD_DESIGN_INFRINGEMENT", "Design infringements"),
            ("KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT", "Geographical indications infringements"), ("KEYWORD_PATENT_INFRINGEMENT", "Patent infringements"),
            ("KEYWORD_TRADE_SECRET_INFRINGEMENT", "Trade secret infringements"), ("KEYWORD_TRADEMARK_INFRINGEMENT", "Trademark infringements")),
        C("STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", "Negative effects on civic discourse or elections",
            ("KEYWORD_MISINFORMATION_DISINFORMATION", "Misinformation, disinformation, foreign information manipulation and interference"),
            ("KEYWORD_VIOLATION_EU_LAW", "Violation of EU law relevant to civic discourse or elections"),
            ("KEYWORD_VIOLATION_NATIONAL_LAW", "Violation of national law relevant to civic discourse or elections")),
        C("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "Protection of minors",
            ("KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS", "Age-specific restrictions concerning minors"), ("KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL", "Child sexual abuse material"),
            ("KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE", "Child sexual abuse material containing deepfake or similar technology"),
            ("KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS", "Grooming/sexual enticement of minors"), ("KEYWORD_UNSAFE_CHALLENGES", "Unsafe challenges")),
        C("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "Risk for public security",
            ("KEYWORD_ILLEGAL_ORGANIZATIONS", "Illegal organizations"), ("KEYWORD_RISK_ENVIRONMENTAL_DAMAGE", "Risk for environmental damage"),
            ("KEYWORD_RISK_PUBLIC_HEALTH", "Risk for public health"), ("KEYWORD_TERRORIST_CONTENT", "Terrorist content")),
        C("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "Scams and/or fraud",
            ("KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING", "Impersonation or account hijacking"), ("KEYWORD_INAUTHENTIC_ACCOUNTS", "Inauthentic accounts"),
            ("KEYWORD_INAUTHENTIC_LISTINGS", "Inauthentic listings"), ("KEYWORD_INAUTHENTIC_USER_REVIEWS", "Inauthentic user reviews"),
            ("KEYWORD_PHISHING", "Phishing"), ("KEYWORD_PYRAMID_SCHEMES", "Pyramid schemes")),
        C("STATEMENT_CATEGORY_SELF_HARM", "Self-harm",
            ("KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS", "Content promoting eating disorders"), ("KEYWORD_SELF_MUTILATION", "Self-mutilation"), ("KEYWORD_SUICIDE", "Suicide")),
        C("STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "Unsafe, non-compliant or prohibited products",
            ("KEYWORD_PROHIBITED_PRODUCTS", "Prohibited or restricted products"), ("KEYWORD_UNSAFE_PRODUCTS", "Unsafe or non-compliant products")),
        C("STATEMENT_CATEGORY_VIOLENCE", "Violence",
            ("KEYWORD_COORDINATED_HARM", "Coordinated harm"), ("KEYWORD_INCITEMENT_VIOLENCE_HATRED", "General calls or incitement to violence and/or hatred"),
            ("KEYWORD_HUMAN_EXPLOITATION", "Human exploitation"), ("KEYWORD_HUMAN_TRAFFICKING", "Human trafficking"), ("KEYWORD_TRAFFICKING_WOMEN_GIRLS", "Trafficking in women and girls")),
        C("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "Other violation of provider’s terms and conditions",
            ("KEYWORD_ADULT_SEXUAL_MATERIAL", "Adult sexual material"), ("KEYWORD_AGE_SPECIFIC_RESTRICTIONS", "Age-specific restrictions"),
            ("KEYWORD_GEOGRAPHICAL_REQUIREMENTS", "Geographical requirements"), ("KEYWORD_GOODS_SERVICES_NOT_PERMITTED", "Goods/services not permitted to be offered on the platform"),
            ("KEYWORD_LANGUAGE_REQUIREMENTS", "Language requirements"), ("KEYWORD_NUDITY", "Nudity")),
    ];

    /// <summary>Category 16: orders whose issuing authority did not specify the type of illegal content (table 3's last row).</summary>
    public static readonly Category NotSpecifiedOrder = new("STATEMENT_CATEGORY_NOT_SPECIFIED_ORDER", "Type of illegal content not specified by the public authority", []);

    /// <summary>Category 17: notices whose notifier did not specify the type of alleged illegal content (table 4's last row).</summary>
    public static readonly Category NotSpecifiedNotice = new("STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "Type of alleged illegal content not specified by the notifier", []);

    /// <summary>The categories of illegal content (1–14): the rows of tables 3, 4 and 5.</summary>
    public static IReadOnlyList<Category> Illegal => [.. Categories.Where(c => c.Code != "STATEMENT_CATEGORY_OTHER_VIOLATION_TC")];

    /// <summary>Every code the template uses as a row (categories and keywords, KEYWORD_OTHER once).</summary>
    public static IReadOnlySet<string> Codes { get; } = Categories.SelectMany(c => c.Keywords.Select(k => k.Code).Prepend(c.Code)).ToHashSet(StringComparer.Ordinal);

    private static Category C(string code, string label, params (string, string)[] keywords) => new(code, label, [.. keywords, (Other, OtherLabel)]);
}
