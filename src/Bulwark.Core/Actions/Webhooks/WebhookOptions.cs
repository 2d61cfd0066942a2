using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>Bound from <c>Bulwark:Webhooks</c>: how actions are delivered to subscribed receivers.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Bulwark:Webhooks";

    /// <summary>Run the delivery worker in this process (turn off for an API-only node).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Attempts (including the first) before a delivery is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    [Range(1, 3_600_000)]
    public int BackoffBaseMilliseconds { get; set; } = 2_000;

    [Range(1, 86_400_000)]
    public int BackoffMaxMilliseconds { get; set; } = 3_600_000;

    /// <summary>A receiver that has not answered within this many seconds has failed the attempt.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How long a claimed delivery is held before another worker may take it over (a crash resends after this).</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Deliveries claimed at once; their outcomes are recorded in one transaction.</summary>
    [Range(1, 5_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Requests in flight at once.</summary>
    [Range(1, 1_024)]
    public int Concurrency { get; set; } = 32;

    [Range(1, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>Replay window receivers should enforce (documented; the bundled <see cref="WebhookVerifier"/> defaults to it).</summary>
    [Range(1, 86_400)]
    public int ReplayWindowSeconds { get; set; } = 300;

    /// <summary>
    /// Internal receivers that may be called although they resolve to loopback or private addresses: host names, addresses or
    /// CIDR ranges (e.g. <c>127.0.0.1</c>, <c>10.0.0.0/8</c>, <c>hooks.internal</c>). Everything else private is refused.
    /// </summary>
    public List<string> AllowedInternal { get; set; } = [];

    /// <summary>
    /// Days a delivered delivery row is kept (for "was it sent, and when" questions) before the worker deletes it. The
    /// action itself stays in the outbox and the pull feed; dead deliveries are kept until retried.
    /// </summary>
    [Range(1, 3650)]
    public int DeliveredRetentionDays { get; set; } = 30;

    /// <summary>Where the keys that encrypt subscription secrets live (ASP.NET Data Protection key ring). Keep it out of database backups.</summary>
    [Required]
    public string KeysPath { get; set; } = "data/keys";

    /// <summary>
    /// A PKCS#12 (.pfx) file with an RSA certificate and its private key that encrypts the key ring at rest (Data Protection's
    /// certificate encryptor): every key written from then on is stored encrypted, so a copy of <see cref="KeysPath"/> alone
    /// decrypts no secret. Keep the certificate on other storage. Null: keys are stored unencrypted (logged at start-up).
    /// </summary>
    public string? KeyRingCertificatePath { get; set; }

    /// <summary>The password of <see cref="KeyRingCertificatePath"/> (set it from the environment: <c>Bulwark__Webhooks__KeyRingCertificatePassword</c>).</summary>
    public string? KeyRingCertificatePassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyRingCertificatePath is not { Length: > 0 } path) yield break;
        var problem = System.IO.File.Exists(path) ? CertificateProblem(path, KeyRingCertificatePassword) : "does not exist";
        if (problem is not null)
            yield return new ValidationResult($"KeyRingCertificatePath '{System.IO.Path.GetFileName(path)}' {problem}", [nameof(KeyRingCertificatePath)]);
    }

    private static string? CertificateProblem(string path, string? password)
    {
        try
        {
            using var cert = KeyRingEncryption.Load(path, password);
            using var key = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(cert);
            return key is null ? "holds no RSA private key" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return "cannot be read as a PKCS#12 file with this password";
        }
    }
}
