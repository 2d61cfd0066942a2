using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>Bound from <c>Bulwark:Exchanges</c>: the partners whose lists and alerts Bulwark synchronises, and how.</summary>
public sealed class ExchangeOptions : IValidatableObject
{
    public const string Section = "Bulwark:Exchanges";

    /// <summary>Run the scheduled fetcher and feedback sender in this process.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the fetcher looks for partners that are due (each partner has its own interval).</summary>
    [Range(1, 3600)]
    public int TickSeconds { get; set; } = 30;

    /// <summary>A partner that has not answered within this many seconds has failed the fetch (recorded; the next one resumes).</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Pages applied per synchronisation at most; the next run continues from the checkpoint.</summary>
    [Range(1, 100_000)]
    public int MaxPagesPerSync { get; set; } = 1_000;

    /// <summary>Opinions sent to a partner in one request (or one run, for partners that take them one by one).</summary>
    [Range(1, 1_000)]
    public int FeedbackBatchSize { get; set; } = 50;

    /// <summary>Attempts before an opinion is recorded as failed for good.</summary>
    [Range(1, 100)]
    public int FeedbackMaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles per attempt.</summary>
    [Range(1, 86_400)]
    public int FeedbackBackoffSeconds { get; set; } = 60;

    /// <summary>
    /// How long a sender holds the opinions it claimed: another process takes them over only after this (a sender that died
    /// mid-batch). Must exceed a batch's worst case, <see cref="FeedbackBatchSize"/> calls of <see cref="TimeoutSeconds"/> each.
    /// </summary>
    [Range(1, 86_400)]
    public int FeedbackLeaseSeconds { get; set; } = 1_800;

    /// <summary>Partners reached although they resolve to internal addresses (host names, addresses or CIDR ranges). Empty by default.</summary>
    public List<string> AllowedInternal { get; set; } = [];

    /// <summary>Where the key that signs published exchanges is kept (PEM, created on first use). Keep it out of backups of the database.</summary>
    [Required]
    public string SigningKeyPath { get; set; } = "data/keys/exchange-signing.pem";

    public List<ExchangePartnerOptions> Partners { get; set; } = [];

    public ExchangePartnerOptions? Find(string name) => Partners.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FeedbackLeaseSeconds <= (long)FeedbackBatchSize * TimeoutSeconds)
            yield return new($"{Section}:FeedbackLeaseSeconds ({FeedbackLeaseSeconds}) must exceed FeedbackBatchSize × TimeoutSeconds ({(long)FeedbackBatchSize * TimeoutSeconds}), or a slow batch's opinions could be claimed and sent again by another process.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var banks = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Partners.Count; i++)
        {
            var p = Partners[i];
            var at = $"{Section}:Partners:{i}";
            if (string.IsNullOrWhiteSpace(p.Name) || !ExchangeNames.IsValid(p.Name)) { yield return new($"{at}:Name must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-' (got '{p.Name}')."); continue; }
            if (!seen.Add(p.Name)) yield return new($"{at}:Name '{p.Name}' is used by two partners.");
            if (!string.IsNullOrWhiteSpace(p.Bank) && !banks.Add(p.Bank)) yield return new($"{at}:Bank '{p.Bank}' is used by another partner; each partner synchronises into its own bank.");
            if (!ExchangeKinds.All.Contains(p.Kind)) yield return new($"{at}:Kind must be one of {string.Join(", ", ExchangeKinds.All)} (got '{p.Kind}').");
            if (string.IsNullOrWhiteSpace(p.Bank) || !ExchangeNames.IsValidBank(p.Bank)) yield return new($"{at}:Bank must name the bank the partner's list goes into (a-z, 0-9, '.', '_', '-').");
            if (!Uri.TryCreate(p.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                yield return new($"{at}:Url must be the partner's http(s) address (got '{p.Url}').");
            if (p.IntervalMinutes is < 1 or > 10_080) yield return new($"{at}:IntervalMinutes must be between 1 and 10080.");
            if (p.FloodMaxMatches < 0) yield return new($"{at}:FloodMaxMatches must be 0 (off) or more.");
            if (p.FloodWindowMinutes is < 1 or > 1_440) yield return new($"{at}:FloodWindowMinutes must be between 1 and 1440.");
            if (p.Kind == ExchangeKinds.ThreatExchange && string.IsNullOrWhiteSpace(p.PrivacyGroup)) yield return new($"{at}:PrivacyGroup is required for a ThreatExchange partner.");
            if (p.Kind == ExchangeKinds.File && p.Format is not (FileDropFormats.Csv or FileDropFormats.Vpdq))
                yield return new($"{at}:Format must be '{FileDropFormats.Csv}' (python-threatexchange CSV) or '{FileDropFormats.Vpdq}' (vPDQ frame lines) for a file drop.");
            if (p.Kind == ExchangeKinds.Bulwark && string.IsNullOrWhiteSpace(p.PublicKey)) yield return new($"{at}:PublicKey (PEM) is required to verify a Bulwark exchange's signature.");
            if (p.Kind == ExchangeKinds.Tcap) foreach (var problem in TcapSettings.Validate(p, at)) yield return new(problem);
        }
    }
}

/// <summary>
/// One partner: its kind and address, the bank its list goes into, the labels every entry gets, the schedule and the flood
/// guard. The kind-specific settings are typed fields read only by that kind. <see cref="Token"/> comes from configuration or
/// the environment (<c>Bulwark__Exchanges__Partners__0__Token</c>); it is never logged, audited or shown.
/// </summary>
public sealed class ExchangePartnerOptions
{
    public string Name { get; set; } = "";
    /// <summary><c>threatexchange</c>, <c>tcap</c>, <c>file</c> or <c>bulwark</c>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>Base address: the Graph API root, the TCAP API root, the file's URL, or another Bulwark's feed URL.</summary>
    public string Url { get; set; } = "";
    public string Bank { get; set; } = "";
    public string? Token { get; set; }
    public bool Enabled { get; set; } = true;
    public int IntervalMinutes { get; set; } = 60;
    /// <summary>Labels every entry of this partner carries (besides the partner's own tags), e.g. <c>partner:tcap</c>.</summary>
    public List<string> Labels { get; set; } = [];
    /// <summary>Whether human decisions on content matched by this partner's entries are sent back as opinions.</summary>
    public bool SendFeedback { get; set; } = true;
    /// <summary>Matches of this partner's entries within <see cref="FloodWindowMinutes"/> that pause it for review (0: off).</summary>
    public int FloodMaxMatches { get; set; }
    public int FloodWindowMinutes { get; set; } = 60;

    // ThreatExchange
    public string? PrivacyGroup { get; set; }
    public string ApiVersion { get; set; } = "v21.0";
    // TCAP (docs/exchanges.md, "TCAP"; checked by TcapSettings.Validate)
    /// <summary>TCAP: the account's user name, sent to TCAP's log-in endpoint.</summary>
    public string? Username { get; set; }
    /// <summary>TCAP: the account's password (configuration or the environment); never logged, audited or shown.</summary>
    public string? Password { get; set; }
    /// <summary>TCAP: the Content Hash List v2 root (<c>…/hash-list/v2</c>); empty: <c>{Url}/hash-list/v2</c>.</summary>
    public string? HashListUrl { get; set; }
    /// <summary>TCAP: the hash list's <c>ideology</c> filter, one of <c>islamist</c>, <c>far-right</c>, <c>all</c>.</summary>
    public string Ideology { get; set; } = "all";
    /// <summary>TCAP: hash records asked for per page (<c>limit</c>; TCAP's default is 1000).</summary>
    public int PageLimit { get; set; } = 1000;
    /// <summary>TCAP: also fetch alerts (the Submissions API's <c>content_alert</c>: URLs of content found on this platform).</summary>
    public bool Alerts { get; set; } = true;
    /// <summary>TCAP: the Submissions API's <c>tech_platform</c> filter, for an account tied to several platforms (empty: all of them).</summary>
    public string? TechPlatform { get; set; }
    /// <summary>
    /// TCAP: the tier an alert is routed by, per terrorist group name (TCAP's alerts carry no tier field). A group not listed
    /// gets <see cref="DefaultAlertTier"/>; an alert that does carry a <c>tier</c> keeps its own.
    /// </summary>
    public Dictionary<string, string> AlertTiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>TCAP: the tier of an alert whose group is not in <see cref="AlertTiers"/>.</summary>
    public string DefaultAlertTier { get; set; } = Exchange.AlertTiers.Designation;
    /// <summary>
    /// TCAP: the feedback category (by TCAP's <c>name</c>) each Bulwark opinion is sent as. <c>false_positive</c> is
    /// <c>FALSE_POSITIVE</c> unless set; <c>agree</c> and <c>disagree</c> are sent only when mapped here.
    /// </summary>
    public Dictionary<string, string> FeedbackCategories { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Read only to refuse it: the assumed API's ideology list (now <see cref="Ideology"/>).</summary>
    public List<string> Ideologies { get; set; } = [];
    // File drops
    public string? Format { get; set; }
    // Bulwark
    public string? PublicKey { get; set; }
}

public static class ExchangeKinds
{
    public const string ThreatExchange = "threatexchange";
    public const string Tcap = "tcap";
    public const string File = "file";
    public const string Bulwark = "bulwark";
    public static readonly IReadOnlyList<string> All = [ThreatExchange, Tcap, File, Bulwark];
}

public static class FileDropFormats
{
    public const string Csv = "csv";
    public const string Vpdq = "vpdq";
}

public static partial class ExchangeNames
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}\\z")]
    private static partial System.Text.RegularExpressions.Regex Pattern();
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,127}\\z")]
    private static partial System.Text.RegularExpressions.Regex BankPattern();
    public static bool IsValid(string name) => Pattern().IsMatch(name);
    public static bool IsValidBank(string name) => BankPattern().IsMatch(name);
}
