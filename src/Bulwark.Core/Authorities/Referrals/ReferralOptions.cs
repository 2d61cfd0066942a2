using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>
/// Referrals to law enforcement (DSA Art. 18): the clock's target, delivery retries, the SMTP relay, which escalations get a
/// draft automatically, and (until the competent-authorities registry takes over) the configured recipients.
/// </summary>
public sealed class ReferralOptions : IValidatableObject
{
    public const string Section = "Bulwark:Authorities:Referrals";

    /// <summary>Target time from escalation (the threat-to-life case's creation) to the referral, shown on every referral.</summary>
    [Range(1, 10080)] public int TargetMinutes { get; set; } = 60;

    /// <summary>Automatic delivery attempts before a referral is marked failed (a person then retries or records a phone delivery).</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one HTTPS or SMTP attempt may take.</summary>
    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 30;

    /// <summary>A claimed delivery is taken over by another worker after this long (a crashed worker's attempt is repeated, with the same idempotency key).</summary>
    [Range(10, 3600)] public int LeaseSeconds { get; set; } = 120;

    /// <summary>How often the worker looks for deliveries due and escalations to draft.</summary>
    [Range(1, 3600)] public int PollSeconds { get; set; } = 5;

    /// <summary>First retry pause; doubles per attempt (with jitter) up to <see cref="BackoffMaxSeconds"/>.</summary>
    [Range(1, 3600)] public int BackoffBaseSeconds { get; set; } = 30;
    [Range(1, 86400)] public int BackoffMaxSeconds { get; set; } = 1800;

    /// <summary>The queue whose cases may be referred (threat-to-life).</summary>
    [Required, MinLength(1)] public string Queue { get; set; } = "threat-to-life";

    /// <summary>
    /// The rule path: when a case reaches <see cref="Queue"/> because one of these rules fired, a referral draft is created for a
    /// legal officer to complete and send (nothing is sent without a person). Empty: no automatic drafts.
    /// </summary>
    public List<string> DraftWhenRulesFire { get; set; } = ["threat-to-life-explicit", "threat-known-imminent"];

    /// <summary>The service's name in the package (who refers).</summary>
    [Required, MinLength(1)] public string ServiceName { get; set; } = "Bulwark demo platform";

    /// <summary>Largest media file copied into a package; larger ones are listed with their hash only.</summary>
    [Range(0, long.MaxValue)] public long MaxMediaBytesPerFile { get; set; } = 100L * 1024 * 1024;

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Recipients by Member State (ISO 3166-1 alpha-2, or <c>EU</c> for Europol, the Art. 18(2) fallback).</summary>
    public List<RecipientSettings> Recipients { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BackoffMaxSeconds < BackoffBaseSeconds)
            yield return new ValidationResult($"{Section}:BackoffMaxSeconds must be at least BackoffBaseSeconds", [nameof(BackoffMaxSeconds)]);
        foreach (var (r, i) in Recipients.Select((r, i) => (r, i)))
            foreach (var problem in r.Problems())
                yield return new ValidationResult($"{Section}:Recipients:{i} ({r.Name}): {problem}", [nameof(Recipients)]);
        if (Recipients.Count(r => r.Fallback) > 1)
            yield return new ValidationResult($"{Section}:Recipients: at most one recipient may be the fallback", [nameof(Recipients)]);
    }
}

public sealed class SmtpSettings
{
    /// <summary>The relay that sends e-mail referrals; empty = e-mail channel unavailable (such referrals fail with that reason).</summary>
    public string? Host { get; set; }
    [Range(1, 65535)] public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "referrals@bulwark.invalid";
}

public sealed class RecipientSettings
{
    public string Name { get; set; } = "";
    /// <summary>ISO 3166-1 alpha-2 code of the Member State, or <c>EU</c> for a Union body (Europol).</summary>
    public string MemberState { get; set; } = "";
    /// <summary><c>https</c> (signed POST of the package), <c>smtp</c> (e-mail with the package attached) or <c>manual</c> (phone; recorded by a person).</summary>
    public string Channel { get; set; } = ReferralChannels.Manual;
    /// <summary>The endpoint URL (https), the e-mail address (smtp), or the phone number to call (manual).</summary>
    public string Address { get; set; } = "";
    /// <summary>Optional shared secret: the POST then also carries a <c>Bulwark-Signature</c> HMAC like webhooks do.</summary>
    public string? Secret { get; set; }
    /// <summary>The Art. 18(2) fallback when the Member State is unclear or has no recipient (Europol).</summary>
    public bool Fallback { get; set; }
    /// <summary>Marks example entries shipped with the configuration; shown as such wherever the recipient appears.</summary>
    public bool Example { get; set; }

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return "Name is required";
        if (MemberState is not { Length: 2 } || !MemberState.All(char.IsAsciiLetterUpper)) yield return "MemberState must be two capital letters (ISO 3166-1 alpha-2, or EU)";
        if (!ReferralChannels.All.Contains(Channel)) yield return $"Channel must be one of {string.Join(", ", ReferralChannels.All)}";
        else if (Channel == ReferralChannels.Https && !(Uri.TryCreate(Address, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)))
            yield return "Address must be an absolute https URL for the https channel";
        else if (Channel == ReferralChannels.Smtp && !System.Net.Mail.MailAddress.TryCreate(Address, out _))
            yield return "Address must be an e-mail address for the smtp channel";
        else if (string.IsNullOrWhiteSpace(Address)) yield return "Address is required";
    }
}

public static class ReferralChannels
{
    public const string Https = "https";
    public const string Smtp = "smtp";
    public const string Manual = "manual";
    public static readonly IReadOnlyList<string> All = [Https, Smtp, Manual];
}
