using Bulwark.Core.Ingest;

namespace Bulwark.Server.Api;

/// <summary>
/// Refuses a request whose decoded path or query holds U+0000 with a 400 naming the parameter, before any endpoint runs:
/// route values and query parameters reach database queries, and PostgreSQL refuses NUL in any text parameter (a 500
/// that would fail the same way on every retry).
/// </summary>
public static class UrlTextGuard
{
    public static IApplicationBuilder UseUrlTextGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var field = StorableText.HasNul(http.Request.Path.Value) ? "path" : null;
        foreach (var (key, values) in http.Request.Query)
        {
            if (field is not null) break;
            if (StorableText.HasNul(key) || values.Any(StorableText.HasNul)) field = StorableText.ReplaceNul(key)!;
        }
        if (field is null)
        {
            await next(http);
            return;
        }
        await Problems.ValidationFailed([new FieldError(field, StorableText.NulMessage)]).ExecuteAsync(http);
    });
}
