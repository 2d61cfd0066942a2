using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (<see cref="WebhookOptions.KeyRingCertificatePath"/>).
/// Loaded once per file and password; the key ring's XML then holds each key's material as <c>&lt;EncryptedData&gt;</c>
/// (XML Encryption, the key wrapped with the certificate's RSA key) instead of a plain <c>&lt;value&gt;</c>.
/// </summary>
public static class KeyRingEncryption
{
    private static readonly ConcurrentDictionary<(string Path, string? Password), X509Certificate2> Loaded = new();

    /// <summary>Reads a PKCS#12 file; the private key stays in memory only (no key file is written by the loader).</summary>
    public static X509Certificate2 Load(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(path), password, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>The configured certificate, or null when the key ring is not encrypted.</summary>
    public static X509Certificate2? Certificate(WebhookOptions options) =>
        options.KeyRingCertificatePath is { Length: > 0 } path
            ? Loaded.GetOrAdd((Path.GetFullPath(path), options.KeyRingCertificatePassword), k => Load(k.Path, k.Password))
            : null;
}
