using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bms.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddUserSecurityStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "Users",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Existing users get a random stamp of their own; access tokens issued before it carry none and are refused.
            migrationBuilder.Sql("UPDATE \"Users\" SET \"SecurityStamp\" = lower(hex(randomblob(16)));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Users");
        }
    }
}
