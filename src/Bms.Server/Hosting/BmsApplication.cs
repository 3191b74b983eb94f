using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Observability;
using Bms.Server.Realtime;
using Bms.Server.Services;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Hosting;

/// <summary>
/// Builds the backend host: database, auth, REST API, domain events and the real-time namespaces. Used by
/// <c>Program</c> and by tests (which pass <c>--urls http://127.0.0.1:0</c> and a temporary database).
/// </summary>
/// <example>
/// <code>
/// var app = BmsApplication.Create(args);
/// await app.RunAsync();
/// </code>
/// </example>
public static class BmsApplication
{
    /// <summary>Creates the configured application; <paramref name="configure"/> runs before services are built.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(BmsOpenApiSetup.ArgumentsForBuildTimeDocument(args));
        AddServices(builder);
        builder.AddBmsServerRealtime();
        Routing.RoutingSetup.AddBmsRouting(builder);
        EventFlow.EventFlowSetup.AddBmsEventFlow(builder);
        builder.AddBmsScale();
        builder.AddBmsTracing();
        configure?.Invoke(builder);
        builder.AddBmsOpenApi();

        var app = builder.Build();
        UsePipeline(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.TryAddSingletonTimeProvider();

        services.AddOptions<BmsServerOptions>().Bind(configuration.GetSection("Bms"))
            .PostConfigure<IHostEnvironment>((o, env) => o.DemoData ??= env.IsDevelopment())
            .Validate(o => TrustedProxySetup.AreValid(o.TrustedProxies), "Bms:TrustedProxies entries must be IP addresses or CIDR networks.")
            .ValidateOnStart();
        services.AddBmsTrustedProxies();
        services.AddOptions<BmsDatabaseOptions>().Bind(configuration.GetSection("Bms:Database"))
            .Validate(o => o.IdempotencyRetention >= TimeSpan.FromDays(30), "Bms:Database:IdempotencyRetention must be at least 30 days.")
            .Validate(o => o.CleanupInterval > TimeSpan.Zero, "Bms:Database:CleanupInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection("Bms:Jwt")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();

        var connectionString = configuration.GetConnectionString("Bms") ?? BmsDatabaseOptions.DefaultConnectionString;
        if (!builder.TryAddBmsPostgres(connectionString))
        {
            SqliteFiles.EnsureDirectory(connectionString, builder.Environment.ContentRootPath);
            services.AddDbContext<BmsDbContext>(o => o.UseSqlite(connectionString, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
        }

        services.AddBmsProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddSingleton<TokenService>();
        services.AddSingleton<SecurityStampCache>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o => o.MapInboundClaims = false);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenService>((o, tokens) =>
            {
                o.TokenValidationParameters = tokens.ValidationParameters;
                o.Events = new JwtBearerEvents { OnTokenValidated = SecurityStampBearerEvents.OnTokenValidatedAsync };
            });
        services.AddAuthorization(Policies.Configure);
        // Bms:PasswordHasher:IterationCount (PBKDF2) defaults to ASP.NET Core Identity's 100,000; tests lower it for speed.
        services.Configure<PasswordHasherOptions>(configuration.GetSection("Bms:PasswordHasher"));
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<IPasswordHasher<Terminal>, PasswordHasher<Terminal>>();
        services.AddOptions<SignInLimitOptions>().Bind(configuration.GetSection("Bms:SignIn")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInLimitOptions>, SignInLimitOptionsValidator>();
        services.AddSingleton<SignInGuard>();

        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            var origins = configuration.GetSection("Bms:CorsOrigins").Get<string[]>() ?? [];
            p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().AllowCredentials();
        }));

        services.AddScoped<AuthService>();
        services.AddScoped<ProductService>();
        services.AddScoped<InventoryService>();
        services.AddScoped<SaleService>();
        services.AddScoped<UserService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<DemoDataSeeder>();
        services.AddBmsDataIntegrity(configuration);
        services.AddSingleton<DomainEventPublisher>();

        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<MaintenanceService>();
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseBmsTrustedProxies();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapAuthEndpoints();
        app.MapProductEndpoints();
        app.MapInventoryEndpoints();
        app.MapTransactionEndpoints();
        app.MapUserEndpoints();
        app.MapNotificationEndpoints();
        app.MapTerminalEndpoints();
        Bms.Server.Pos.PosSyncEndpoints.MapPosSyncEndpoints(app);
        app.MapBmsServerRealtime();
        EventFlow.EventFlowSetup.MapBmsEventFlow(app);
        Routing.RoutingSetup.MapBmsRouting(app);
        app.MapBmsScale();
        app.MapBmsOpenApi();
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
