using Bms.Server.Hosting;
using Bms.Server.Web;

var app = BmsApplication.Create(args, builder => builder.AddBmsDashboard());
app.MapBmsDashboard();
await app.RunAsync();

/// <summary>The backend's entry point; public so tests can reference the assembly through it.</summary>
public partial class Program;
