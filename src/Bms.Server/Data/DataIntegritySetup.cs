using Bms.Server.Pos;
using Bms.Server.Services;

namespace Bms.Server.Data;

/// <summary>Registers the per-request <see cref="StoreScope"/> and the POS sync limits (<c>Bms:PosSync</c>).</summary>
internal static class DataIntegritySetup
{
    public static IServiceCollection AddBmsDataIntegrity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<StoreScope>();
        services.AddOptions<PosSyncOptions>().Bind(configuration.GetSection("Bms:PosSync"))
            .Validate(PosSyncOptions.IsValid, $"Bms:PosSync:NegativeStockAllowance must be between 0 and {StockLimits.MaxNegativeStockAllowance}.")
            .ValidateOnStart();
        return services;
    }
}
