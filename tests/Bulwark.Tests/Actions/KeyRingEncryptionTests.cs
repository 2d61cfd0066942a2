using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace Bulwark.Tests.Actions;

/// <summary>
/// The Data Protection key ring (it encrypts webhook secrets and the console's cookies, and wraps the audit and referral
/// signing keys) is encrypted at rest when <c>Bulwark:Webhooks:KeyRingCertificatePath</c> names a certificate: a copy of the
/// keys folder alone decrypts nothing (issue 16).
/// </summary>
public class KeyRingEncryptionTests
{
    private static string WriteCertificate(string folder, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Bulwark test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, "keyring.pfx");
        File.WriteAllBytes(path, cert.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    private static string KeyXml(string keysPath) =>
        string.Concat(Directory.GetFiles(keysPath, "key-*.xml").Select(File.ReadAllText));

    [Fact]
    public async Task With_a_certificate_the_key_ring_holds_no_plain_key_and_only_the_certificate_opens_it()
    {
        var folder = Directory.CreateTempSubdirectory("bulwark-keyring-").FullName;
        const string password = "synthetic test password";
        var pfx = WriteCertificate(folder, password);
        var keys = Path.Combine(folder, "keys");
        var settings = new Dictionary<string, string?>
        {
            ["Bulwark:Webhooks:KeysPath"] = keys,
            ["Bulwark:Webhooks:KeyRingCertificatePath"] = pfx,
            ["Bulwark:Webhooks:KeyRingCertificatePassword"] = password,
        };
        string protectedText;
        await using (var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, settings))
            protectedText = core.Get<IDataProtectionProvider>().CreateProtector("test").Protect("synthetic webhook secret");

        var xml = KeyXml(keys);
        Assert.Contains("<EncryptedData", xml);
        Assert.DoesNotContain("<value>", xml); // the plain form of a key's material

        // The same folder and certificate open it (another process: the CLI, or the server after a restart).
        await using (var again = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, settings))
            Assert.Equal("synthetic webhook secret", again.Get<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));

        // The folder alone does not.
        var stolen = DataProtectionProvider.Create(new DirectoryInfo(keys), b => b.SetApplicationName("Bulwark")).CreateProtector("test");
        Assert.ThrowsAny<CryptographicException>(() => stolen.Unprotect(protectedText));
    }

    [Fact]
    public async Task Without_a_certificate_the_key_ring_is_plain_as_before()
    {
        var keys = Path.Combine(Directory.CreateTempSubdirectory("bulwark-keyring-").FullName, "keys");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Webhooks:KeysPath"] = keys });
        core.Get<IDataProtectionProvider>().CreateProtector("test").Protect("synthetic");
        Assert.Contains("<value>", KeyXml(keys));
    }

    [Fact]
    public void A_missing_or_unreadable_certificate_is_refused_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("bulwark-keyring-").FullName;
        var pfx = WriteCertificate(folder, "right");
        foreach (var (options, problem) in new[]
                 {
                     (new WebhookOptions { KeyRingCertificatePath = Path.Combine(folder, "absent.pfx") }, "'absent.pfx' does not exist"),
                     (new WebhookOptions { KeyRingCertificatePath = pfx, KeyRingCertificatePassword = "wrong" }, "'keyring.pfx' cannot be read as a PKCS#12 file with this password"),
                 })
        {
            var error = Assert.Single(options.Validate(new ValidationContext(options)));
            Assert.Equal($"KeyRingCertificatePath {problem}", error.ErrorMessage);
            Assert.Equal([nameof(WebhookOptions.KeyRingCertificatePath)], error.MemberNames);
        }
        Assert.Empty(new WebhookOptions { KeyRingCertificatePath = pfx, KeyRingCertificatePassword = "right" }.Validate(new ValidationContext(new object())));
    }
}
