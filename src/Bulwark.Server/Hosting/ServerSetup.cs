using Bulwark.Core;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Core.Telemetry;
using Bulwark.Server.Api;
using Bulwark.Server.ConsoleUi;
using Bulwark.Server.Health;
using Bulwark.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace Bulwark.Server.Hosting;

public static class ServerSetup
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddBulwarkServer(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        // Largest legitimate JSON body: a batch of 1,000 events. Multipart uploads raise this per request.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64L * 1024 * 1024);

        var services = builder.Services;
        services.AddBulwarkCore(builder.Configuration).AddBulwarkWorkers(builder.Configuration);
        if (Core.Pipeline.QueueSettings.Provider(builder.Configuration) == Core.Pipeline.QueueSettings.JetStream)
            Queue.JetStream.JetStreamRegistration.AddBulwarkJetStreamQueue(services, builder.Configuration);
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<DemoKnownContent>();
        services.AddSingleton<DemoEntities>();
        services.AddSingleton<DemoTransparency>();
        services.AddSingleton<DemoAuthorities>();
        services.AddSingleton<DemoNotices>();
        services.AddSingleton<DemoPartners.DemoExchanges>();
        services.AddMemoryCache();
        services.AddProblemDetails();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o =>
        {
            foreach (var scope in Scopes.All)
                o.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
        });
        services.AddBulwarkConsole(builder.Configuration);
        services.AddSingleton<DemoUsers>();
        services.AddSingleton<DemoResearch>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<WorkerHealthCheck>("workers", tags: ["ready"])
            .AddCheck<KnownContentHealthCheck>("known-content", tags: ["ready"])
            .AddCheck<EntityScreeningHealthCheck>("entity-screening", tags: ["ready"])
            .AddCheck<OcrHealthCheck>("ocr", tags: ["ready"]);
        // Request schemas come from the types and options the handlers bind (Api/RequestBodies.cs).
        services.AddOpenApi(o => o.AddSchemaTransformer<Api.BoundBodySchemaTransformer>());
        // The researcher API has its own document (/openapi/research.json); its endpoints are not in v1.
        services.AddOpenApi(ResearchEndpoints.DocumentName, o => o.AddSchemaTransformer<Api.BoundBodySchemaTransformer>());
        // System.Runtime: the runtime's own meter (GC heap and committed sizes, working set, allocations), so /metrics shows how
        // much of the process's memory the GC holds (docs/benchmarks.md, issue 16).
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(BulwarkMetrics.MeterName, "System.Runtime").AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapBulwark(this WebApplication app)
    {
        app.UseExceptionHandler(e => e.Run(WriteUnhandledProblemAsync));
        app.UseStatusCodePages(async ctx =>
        {
            var http = ctx.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0 || http.Response.ContentType is not null) return;
            var (type, title) = http.Response.StatusCode switch
            {
                404 => (Problems.NotFound, "Not found."),
                405 => (Problems.MethodNotAllowed, "Method not allowed."),
                413 => (Problems.PayloadTooLarge, "The request body is too large."),
                415 => (Problems.UnsupportedMediaType, "Unsupported content type; see the operation's accepted types in /openapi/v1.json."),
                _ => (Problems.BadRequest, "The request failed."),
            };
            await Problems.Make(http.Response.StatusCode, type, title, $"{http.Request.Method} {http.Request.Path} answered {http.Response.StatusCode}.").ExecuteAsync(http);
        });
        // A NUL in the path or query cannot reach a database query (PostgreSQL refuses it): 400 naming the parameter.
        app.UseUrlTextGuard();
        // The console re-executes its own status pages (HTML); routing comes after it so a re-executed request is routed again.
        app.UseBulwarkConsole();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        // A process without the api role (Bulwark:Roles) answers health and metrics only: no API, console or documents,
        // so a worker node put behind the load balancer by mistake refuses requests instead of serving them.
        if (!app.Services.GetRequiredService<Core.Pipeline.ProcessRoles>().Api) return app;
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Bulwark API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapRazorPages();

        app.MapContentEndpoints();
        app.MapAccountEndpoints();
        app.MapOperationsEndpoints();
        app.MapHashEndpoints();
        app.MapBankEndpoints();
        app.MapEntityEndpoints();
        app.MapDeliveryEndpoints();
        app.MapStatementEndpoints();
        app.MapPolicyEndpoints();
        app.MapAppealEndpoints();
        app.MapNoticeEndpoints();
        app.MapPreservationEndpoints();
        app.MapResearchEndpoints();
        app.MapReportEndpoints();
        app.MapAuthorityEndpoints();
        app.MapExchangeEndpoints();
        return app;
    }

    /// <summary>Applies migrations (when configured) and seeds demo data; prints where to go next.</summary>
    public static async Task PrepareAsync(this WebApplication app, bool demo)
    {
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (options.MigrateOnStart || demo)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Bulwark.Core.Security.Users.ConsoleUserService>().EnsureRolesAsync(CancellationToken.None);
        }
        if (!demo) return;
        var key = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
        var users = await app.Services.GetRequiredService<DemoUsers>().SeedAsync(CancellationToken.None);
        await app.Services.GetRequiredService<DemoAuthorities>().SeedAsync(CancellationToken.None);
        var (researchClient, researchSecret) = await app.Services.GetRequiredService<DemoResearch>().SeedAsync(CancellationToken.None);
        await app.Services.GetRequiredService<DemoNotices>().SeedAsync(CancellationToken.None);
        await app.Services.GetRequiredService<DemoPartners.DemoExchanges>().SeedAsync(CancellationToken.None);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The demo appeal needs the pipeline's decision first; the workers make it shortly after start-up.
            // A failure is logged, never unobserved; a stop during the wait is not a failure.
            _ = Task.Run(async () =>
            {
                try { await app.Services.GetRequiredService<DemoSeeder>().SubmitDemoAppealAsync(app.Lifetime.ApplicationStopping); }
                catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested) { }
                catch (Exception ex) { app.Logger.LogError(ex, "The demo appeal could not be submitted; the appeals queue stays empty."); }
            });
            // Notices (issue 19): a user's and a trusted flagger's, once the pipeline has decided their posts.
            _ = Task.Run(async () =>
            {
                try { await app.Services.GetRequiredService<DemoNotices>().SendDemoNoticesAsync(app.Lifetime.ApplicationStopping); }
                catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested) { }
                catch (Exception ex) { app.Logger.LogError(ex, "The demo notices could not be sent; the notices queue stays empty."); }
            });
            // A synthetic quarter of history, its rollups and a published CGER for /transparency (a few seconds; after start-up).
            _ = Task.Run(async () =>
            {
                try { await app.Services.GetRequiredService<DemoTransparency>().SeedAsync(app.Lifetime.ApplicationStopping); }
                catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested) { }
                catch (Exception ex) { app.Logger.LogError(ex, "The demo transparency history could not be seeded; /transparency stays empty."); }
            });
            var url = app.Urls.FirstOrDefault() ?? DefaultUrl;
            Console.WriteLine($"""

                Bulwark demo is running at {url}
                  API reference : {url}/docs
                  Demo API key  : {key}
                  (scopes: {string.Join(", ", Scopes.All)}; synthetic demo data only)
                  Try: curl -H "Authorization: Bearer {key}" {url}/api/v1/content/demo-video-known

                Moderator console: {url}/  (one demo user per role; fresh passwords at every start)
                {DemoUsers.Format(users)}

                Notices (DSA Art. 16): {url}/report  (no sign-in; report content id {DemoNotices.FormItem}); decisions under {url}/notices
                Partner exchanges: {url}/exchanges  (FAKE TCAP and ThreatExchange on loopback; their matches wait in queue known-content)

                Researcher API: {url}/research/v1/catalogue  (docs/research-api.md; fresh secret at every start)
                  Demo research client_id     : {researchClient}
                  Demo research client_secret : {researchSecret}
                  Try: curl -d grant_type=client_credentials -d client_id={researchClient} -d client_secret={researchSecret} {url}/research/v1/oauth/token
                """);
        });
    }

    private static async Task WriteUnhandledProblemAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var retry = Retry(error);
        var (status, type, title, detail) = error switch
        {
            BadHttpRequestException { StatusCode: 413 } => (413, Problems.PayloadTooLarge, "The request body is too large.", error.Message),
            BadHttpRequestException bad => (bad.StatusCode, Problems.BadRequest, "The request could not be read.", bad.Message),
            _ => (500, Problems.Internal, "Internal error.", retry switch
            {
                true => "The server failed to handle this request; it has been logged. The failure looks temporary (the database was unreachable or busy): retrying later is safe, and accepted events are never half-stored.",
                false => "The server failed to handle this request; it has been logged. The database refused a value in it, so sending the same request again will fail the same way; nothing was stored.",
                null => "The server failed to handle this request; it has been logged. Nothing was half-stored. Unless the failure was temporary, sending the same request again will fail the same way.",
            }),
        };
        var extensions = new Dictionary<string, object?> { ["traceId"] = http.TraceIdentifier };
        if (status == 500) extensions["retryable"] = retry;
        await Problems.Make(status, type, title, detail, extensions).ExecuteAsync(http);
    }

    /// <summary>
    /// Whether repeating the request can succeed: true for a database that is unreachable, busy or timed out; false when the
    /// database refused the data itself (SQLSTATE class 22, e.g. 22021 a NUL in text, 22001 a value too long); null when unknown.
    /// </summary>
    internal static bool? Retry(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException pg) return pg.SqlState.StartsWith("22", StringComparison.Ordinal) ? false : pg.IsTransient ? true : null;
            if (e is System.Data.Common.DbException { IsTransient: true } or TimeoutException) return true;
        }
        return null;
    }
}
