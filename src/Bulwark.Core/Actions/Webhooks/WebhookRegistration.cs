using System.Net;
using System.Net.Sockets;
using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Core.Actions.Webhooks;

public static class WebhookRegistration
{
    /// <summary>Subscriptions, the dispatcher, its guarded HTTP client and the key ring for secrets. The worker is added by AddBulwarkWorkers.</summary>
    public static IServiceCollection AddBulwarkWebhooks(this IServiceCollection services)
    {
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
                var guard = sp.GetRequiredService<WebhookAddressGuard>().Guard;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false, // a redirect is a failed delivery: following it would bypass the URL check
                    UseProxy = false,
                    UseCookies = false,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    MaxConnectionsPerServer = 256,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, ct) => ConnectCheckedAsync(guard, context, ct),
                };
            });
        return services;
    }

    /// <summary>Checks every resolved address at connect time, so a host name that resolves (or re-resolves) to a private address is refused.</summary>
    private static async ValueTask<Stream> ConnectCheckedAsync(AddressGuard guard, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowListed = guard.IsHostAllowListed(host);
        var permitted = addresses.Where(a => allowListed || guard.IsAllowed(a)).ToArray();
        if (permitted.Length == 0)
            throw new ForbiddenAddressException($"receiver host '{host}' resolves only to forbidden addresses ({string.Join(", ", addresses.Select(a => AddressGuard.Describe(a) ?? a.ToString()).Distinct())}); allow internal receivers in Bulwark:Webhooks:AllowedInternal");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
