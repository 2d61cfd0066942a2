using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bulwark.Core.Actions.Webhooks;

public static class WebhookRegistration
{
    /// <summary>Subscriptions, the dispatcher, its guarded HTTP client and the key ring for secrets. The worker is added by AddBulwarkWorkers.</summary>
    public static IServiceCollection AddBulwarkWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton(sp => new WebhookAddressGuard(new AddressGuard(sp.GetRequiredService<WebhookOptions>().AllowedInternal)));
        services.AddDataProtection().SetApplicationName("Bulwark");
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

    /// <summary>Keeps the key ring in <see cref="WebhookOptions.KeysPath"/>, shared by the server and the CLI.</summary>
    private sealed class KeyManagementOptionsSetup(WebhookOptions options) : Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>
    {
        public void Configure(Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions o)
        {
            var dir = Directory.CreateDirectory(Path.GetFullPath(options.KeysPath));
            o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(dir, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        }
    }
}
