using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Notices;

/// <summary><c>Bulwark:Notices</c>: how notices are received, matched, ranked and answered. Validated at start-up.</summary>
public sealed class NoticeOptions : IValidatableObject
{
    public const string Section = "Bulwark:Notices";
    public const int MaxExplanation = 5000;

    /// <summary>
    /// How the platform's content URLs name a content id: patterns with one <c>{id}</c>, e.g.
    /// <c>https://social.example/p/{id}</c>. A notice's URL that matches one is about that id; any other URL is kept and
    /// tried again on every matching pass (a pattern added later still matches it).
    /// </summary>
    public List<string> ContentUrlPatterns { get; set; } = [];

    /// <summary>A trusted flagger's case is due this many minutes after it is opened (DSA Art. 22(1): "without undue delay").</summary>
    [Range(1, 100_000)] public int TrustedFlaggerSlaMinutes { get; set; } = 4 * 60;

    /// <summary>The public form: at most this many notices per address per <see cref="RateWindowMinutes"/>.</summary>
    [Range(1, 100_000)] public int FormNoticesPerAddress { get; set; } = 10;
    [Range(1, 1440)] public int RateWindowMinutes { get; set; } = 60;

    /// <summary>Leading zero bits the form's proof of work needs (SHA-256); each bit doubles the browser's work (16 ≈ 65,000 hashes).</summary>
    [Range(0, 30)] public int ProofOfWorkBits { get; set; } = 16;
    /// <summary>How long a challenge stays valid.</summary>
    [Range(1, 1440)] public int ChallengeMinutes { get; set; } = 30;
    /// <summary>HMAC key of the form's challenges (base64, at least 32 bytes). Empty: a random key per process (one instance only).</summary>
    public string? ChallengeKey { get; set; }

    /// <summary>Art. 23(2): manifestly unfounded notices within <see cref="UnfoundedWindowDays"/> that earn a warning, and then a suspension.</summary>
    [Range(1, 1000)] public int WarnAfterUnfounded { get; set; } = 3;
    [Range(1, 1000)] public int SuspendAfterUnfounded { get; set; } = 5;
    [Range(1, 3650)] public int UnfoundedWindowDays { get; set; } = 180;
    [Range(1, 365)] public int SuspensionDays { get; set; } = 30;

    /// <summary>Where a notifier contests the decision on their notice (DSA Art. 20 internal complaint; an http(s) URL). Empty: <c>Bulwark:Appeals:NoticeAppealUrl</c>.</summary>
    [Url] public string? AppealUrl { get; set; }

    /// <summary>How often the notice worker matches waiting notices, relays decisions and sends messages.</summary>
    [Range(1, 3600)] public int PollSeconds { get; set; } = 5;
    [Range(1, 100)] public int MaxDeliveryAttempts { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var p in ContentUrlPatterns)
            if (ContentUrls.Compile(p) is null)
                yield return new ValidationResult($"Bulwark:Notices:ContentUrlPatterns: '{p}' must be an http(s) URL with exactly one {{id}}.");
        if (SuspendAfterUnfounded <= WarnAfterUnfounded)
            yield return new ValidationResult("Bulwark:Notices:SuspendAfterUnfounded must be greater than WarnAfterUnfounded (a warning comes first, DSA Art. 23(2)).");
        if (!string.IsNullOrEmpty(ChallengeKey))
        {
            byte[]? key = null;
            try { key = Convert.FromBase64String(ChallengeKey); } catch (FormatException) { }
            if (key is not { Length: >= 32 }) yield return new ValidationResult("Bulwark:Notices:ChallengeKey must be base64 of at least 32 bytes.");
        }
    }
}

/// <summary>Turns a content URL into the platform's content id through <see cref="NoticeOptions.ContentUrlPatterns"/>.</summary>
public sealed class ContentUrls(NoticeOptions options)
{
    private readonly IReadOnlyList<Regex> _patterns = options.ContentUrlPatterns.Select(Compile).Where(r => r is not null).Select(r => r!).ToList();

    public static Regex? Compile(string pattern)
    {
        if (!Uri.TryCreate(pattern.Replace("{id}", "x", StringComparison.Ordinal), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")) return null;
        var parts = pattern.Split("{id}");
        if (parts.Length != 2) return null;
        return new Regex("^" + Regex.Escape(parts[0]) + "(?<id>[A-Za-z0-9._:-]{1,128})" + Regex.Escape(parts[1]) + "/?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>The content id the URL names, or null. The query and fragment are ignored (share links add tracking).</summary>
    public string? Resolve(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u)) return null;
        var bare = u.GetLeftPart(UriPartial.Path);
        foreach (var r in _patterns)
            if (r.Match(bare) is { Success: true } m) return m.Groups["id"].Value;
        return null;
    }

    /// <summary>The URL's stable form for dedupe: scheme and host lowercased, no fragment, no trailing slash.</summary>
    public static string Normalise(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Query).TrimEnd('/') : url.Trim();
}
