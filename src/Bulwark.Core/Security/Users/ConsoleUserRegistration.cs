using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Security.Users;

public static class ConsoleUserRegistration
{
    /// <summary>
    /// Console users for every host (server and CLI): Identity's user and role managers over the Bulwark database, the
    /// password and lockout rules from <see cref="ConsoleUserOptions"/>, the TOTP token provider, and <see cref="ConsoleUserService"/>.
    /// The server adds the sign-in manager and the cookies.
    /// </summary>
    public static IServiceCollection AddBulwarkConsoleUsers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleUserOptions>().Bind(configuration.GetSection(ConsoleUserOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ConsoleUserOptions>>().Value);
        // Identity's stores take a context per scope; the same instance carries the write transaction that audits the change.
        services.AddScoped<BulwarkDbContext>(sp => sp.GetRequiredService<IBulwarkDbFactory>().Create());
        services.AddIdentityCore<ConsoleUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BulwarkDbContext>()
            .AddTokenProvider<AuthenticatorTokenProvider<ConsoleUser>>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddOptions<IdentityOptions>().Configure<ConsoleUserOptions>((o, c) =>
        {
            o.Password.RequiredLength = c.MinPasswordLength;
            o.Password.RequiredUniqueChars = c.MinUniqueChars;
            o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = c.MaxFailedAttempts;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(c.LockoutMinutes);
            o.User.RequireUniqueEmail = false;
            o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            o.SignIn.RequireConfirmedAccount = false;
        });
        services.AddOptions<PasswordHasherOptions>().Configure<ConsoleUserOptions>((o, c) =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = c.PasswordIterations;
        });
        services.AddScoped<ConsoleUserService>();
        return services;
    }
}
