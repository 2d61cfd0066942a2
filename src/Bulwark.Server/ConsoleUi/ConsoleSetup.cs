using System.Globalization;
using Bulwark.Core.Security.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.FileProviders;

namespace Bulwark.Server.ConsoleUi;

/// <summary>
/// The moderator console: Razor Pages at <c>/</c> with Identity's cookie, next to the API and its API-key scheme (which stays
/// the default scheme, so an API request never reads a console cookie and a console page never accepts an API key).
/// </summary>
public static class ConsoleSetup
{
    public const string CookieName = "bulwark.console";
    public const string CultureCookieName = ".AspNetCore.Culture";
    public const string AntiforgeryCookieName = "bulwark.antiforgery";

    /// <summary>Paths that are not the console: they keep problem+json errors and get no console headers.</summary>
    // Published report files set their own headers (a self-contained report page needs its inline style; ReportEndpoints).
    private static readonly string[] NotConsole = ["/api", "/health", "/openapi", "/docs", "/scalar", "/metrics", "/research/v1", "/transparency/reports"];

    public static bool IsConsolePath(PathString path) => !NotConsole.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static IServiceCollection AddBulwarkConsole(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ConsoleUserOptions.Section).Get<ConsoleUserOptions>() ?? new ConsoleUserOptions();
        var secure = options.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

        // An unknown user name costs a password hash too, so failed sign-ins take the same time (ConsoleSignInManager).
        services.AddSingleton<DummyPasswordHash>();
        new IdentityBuilder(typeof(ConsoleUser), typeof(IdentityRole), services).AddSignInManager<ConsoleSignInManager>();
        services.AddAuthentication().AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(options.IdleTimeoutMinutes);
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/status/403";
            // A refused page answers 403 itself (rendered by the status page), not a redirect that would hide the refusal.
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Name = CookieName + ".2fa";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        // Role changes, disabling and password changes renew the security stamp; open sessions notice within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Antiforgery refuses "Always" on a plain-HTTP request (even loopback); its cookie is no credential on its own.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.HttpOnly = true;
        });

        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = CookieName + ".flash";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.HttpOnly = true;
        });
        services.AddSingleton<IAuthorizationHandler, ConsoleAreaHandler>();
        services.AddAuthorizationBuilder();
        services.Configure<AuthorizationOptions>(ConsoleAreas.AddPolicies);
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Razor encodes every value with this: bidi controls in user-supplied text become a visible ⟨U+202E⟩ marker.
        services.AddSingleton<System.Text.Encodings.Web.HtmlEncoder>(BidiSafeHtmlEncoder.Console);
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", ConsoleAreas.SignedIn);
            foreach (var area in ConsoleAreas.All) o.Conventions.AuthorizeFolder(area.Folder, area.Policy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/LoginTwoFactor");
            o.Conventions.AllowAnonymousToPage("/Status");
            // Researchers are not console users: they apply and read the public register without signing in.
            o.Conventions.AllowAnonymousToFolder("/ResearchPublic");
            // The public list of published transparency reports (no sign-in).
            o.Conventions.AllowAnonymousToFolder("/Transparency");
            // The public notice form (DSA Art. 16): anyone may report content without an account.
            o.Conventions.AllowAnonymousToFolder("/Report");
        });
        return services;
    }

    public static readonly CultureInfo[] Cultures = [.. ConsoleLanguages.All.Select(CultureInfo.GetCultureInfo)];

    /// <summary>
    /// Console-only middleware: the language (culture cookie, set from the user's stored preference at sign-in), security
    /// headers, static assets, and HTML status pages re-executed through <c>/status/{code}</c>. The API keeps problem+json.
    /// </summary>
    public static void UseBulwarkConsole(this WebApplication app)
    {
        app.UseWhen(ctx => IsConsolePath(ctx.Request.Path), console =>
        {
            console.Use((ctx, next) =>
            {
                ctx.Response.OnStarting(() =>
                {
                    var h = ctx.Response.Headers;
                    h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
                        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
                    h.XContentTypeOptions = "nosniff";
                    h.XFrameOptions = "DENY";
                    h["Referrer-Policy"] = "no-referrer";
                    if (!ctx.Request.Path.StartsWithSegments("/assets")) h.CacheControl = "no-store";
                    return Task.CompletedTask;
                });
                return next(ctx);
            });
            console.UseRequestLocalization(new RequestLocalizationOptions
            {
                DefaultRequestCulture = new RequestCulture(ConsoleLanguages.English),
                SupportedCultures = Cultures,
                SupportedUICultures = Cultures,
                RequestCultureProviders = [new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" }, new CookieRequestCultureProvider { CookieName = CultureCookieName }],
            });
            console.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new EmbeddedFileProvider(typeof(ConsoleSetup).Assembly, "Bulwark.Server.ConsoleUi.Assets"),
                RequestPath = "/assets",
            });
            console.UseStatusCodePagesWithReExecute("/status/{0}");
        });
    }

    /// <summary>Writes the culture cookie for <paramref name="language"/> (a preference, not a secret; a year long).</summary>
    public static void SetLanguageCookie(HttpResponse response, string language, bool secure) =>
        response.Cookies.Append(CultureCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)), new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = secure, IsEssential = true, Path = "/",
        });
}
