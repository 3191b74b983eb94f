using Bms.Web.Client;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddBmsDashboardClient(new Uri(builder.HostEnvironment.BaseAddress));
await builder.Build().RunAsync();
