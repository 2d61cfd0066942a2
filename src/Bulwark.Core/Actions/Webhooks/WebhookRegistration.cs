using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bulwark.Core.Actions.Webhooks;

public static class WebhookRegistration
{
    /// <summary>Subscriptions, the dispatcher, its guarded HTTP client and the key ring for secrets. The worker is added by AddBulwarkWorkers.</summary>
    public static IServiceCollection AddBulwarkWebhooks(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration? configuration = null)
    {
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton(sp => new WebhookAddressGuard(new AddressGuard(sp.GetRequiredService<WebhookOptions>().AllowedInternal)));
        var dataProtection = services.AddDataProtection().SetApplicationName("Bulwark");
        // The key ring encrypted at rest (issue 16): new keys are wrapped with the certificate, and read back with it (on
        // Linux no certificate store is searched). Read here because Data Protection takes the certificate at registration.
        var ring = configuration?.GetSection(WebhookOptions.Section).Get<WebhookOptions>();
        if (ring is not null && KeyRingEncryption.Certificate(ring) is { } cert)
            dataProtection.ProtectKeysWithCertificate(cert).UnprotectKeysWithAnyCertificate(cert);
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>, KeyManagementOptionsSetup>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<ActionFeed>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                // A redirect is a failed delivery (the handler never follows one): following it would bypass the URL check.
                var handler = GuardedConnector.CreateHandler(sp.GetRequiredService<WebhookAddressGuard>().Guard, sp.GetRequiredService<IHostResolver>(),
                    "receiver host", "allow internal receivers in Bulwark:Webhooks:AllowedInternal");
                handler.ConnectTimeout = TimeSpan.FromSeconds(10);
                handler.MaxConnectionsPerServer = 256;
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
                return handler;
            });
        return services;
    }

    /// <summary>
    /// Keeps the key ring in <see cref="WebhookOptions.KeysPath"/>, shared by the server and the CLI, encrypted at rest with
    /// <see cref="WebhookOptions.KeyRingCertificatePath"/> when one is configured.
    /// </summary>
    private sealed class KeyManagementOptionsSetup(WebhookOptions options, Microsoft.Extensions.Logging.ILoggerFactory logs)
        : Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>
    {
        public void Configure(Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions o)
        {
            var dir = Directory.CreateDirectory(Path.GetFullPath(options.KeysPath));
            o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(dir, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
            // ProtectKeysWithCertificate (at registration) set the encryptor; without a certificate the ring is plain XML.
            if (o.XmlEncryptor is null)
                Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logs.CreateLogger("Bulwark.KeyRing"),
                    "The Data Protection key ring in {KeysPath} is stored unencrypted: set Bulwark:Webhooks:KeyRingCertificatePath to encrypt it at rest",
                    options.KeysPath);
        }
    }
}
