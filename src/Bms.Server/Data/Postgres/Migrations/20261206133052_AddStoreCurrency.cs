using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bms.Server.Data.Postgres.Migrations
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
                type: "character varying(3)",
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
