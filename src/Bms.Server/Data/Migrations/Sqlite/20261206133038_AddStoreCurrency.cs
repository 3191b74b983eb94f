using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bms.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddStoreCurrency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "Stores",
                type: "TEXT",
                maxLength: 3,
                nullable: false,
                defaultValue: "EUR");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Currency",
                table: "Stores");
        }
    }
}
