using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Infrastructure;

/// <summary>The real server (WebApplicationFactory) on a throwaway database, with an admin client and a key per scope.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    public TestDatabase Database { get; }
    public HttpClient Admin { get; }
    public IServiceProvider Services => _factory.Services;

    private ApiHost(TestDatabase db, WebApplicationFactory<Program> factory, HttpClient admin)
    {
        Database = db;
        _factory = factory;
        Admin = admin;
    }

    public static async Task<ApiHost> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var all = db.Settings();
        all["Bulwark:Pipeline:PollMilliseconds"] = "50";
        all["Logging:LogLevel:Default"] = "Warning";
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in all) b.UseSetting(k, v);
            if (services is not null) b.ConfigureTestServices(services);
        });
        var host = new ApiHost(db, factory, factory.CreateClient());
        host.Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await host.KeyAsync(Scopes.All));
        return host;
    }

    public async Task<string> KeyAsync(params string[] scopes) =>
        (await Services.GetRequiredService<ApiKeyService>().CreateAsync("test", scopes, "test", default)).Key;

    public HttpClient Client(string? key)
    {
        var client = _factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// Waits until the item reaches <paramref name="status"/>: returns as soon as it does, fails at once when the item is
    /// dead-lettered (<c>failed</c>) while another status is awaited, and otherwise gives up only after
    /// <see cref="Eventually.Deadline"/> (5 minutes), so a loaded machine makes a test slow, not red.
    /// </summary>
    public async Task<JsonElement> WaitForStatusAsync(string id, string status = "decided")
    {
        JsonElement last = default;
        var reached = await Eventually.UntilAsync(async () =>
        {
            var response = await Admin.GetAsync($"/api/v1/content/{id}");
            if (!response.IsSuccessStatusCode) return false;
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
            var now = last.GetProperty("status").GetString();
            if (now == "failed" && status != "failed") Assert.Fail($"content {id} was dead-lettered while waiting for '{status}': {last}");
            return now == status;
        });
        if (!reached) Assert.Fail($"content {id} did not reach '{status}' within {Eventually.Deadline.TotalMinutes} minutes; last seen: {last}");
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
