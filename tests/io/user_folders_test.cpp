// Default places for the files a user makes: the pictures and documents folders
// (environment, user-dirs.dirs, ~/Pictures or ~/Documents, else home), not the working
// directory.
#include "io/user_folders.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using namespace im2col::io;
namespace fs = std::filesystem;

class UserFolders : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() / ("im2col-home-" + std::to_string(::getpid()));
    fs::remove_all(home_);
    fs::create_directories(home_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }
  fs::path home_;
};

TEST_F(UserFolders, EnvironmentThenUserDirsThenTheUsualFolderThenHome) {
  const std::string home = home_.string();
  // Nothing there: home.
  EXPECT_EQ(UserFolderPathFor(UserFolder::Pictures, nullptr, home.c_str(), ""), home);
  // ~/Pictures exists.
  fs::create_directories(home_ / "Pictures");
  EXPECT_EQ(UserFolderPathFor(UserFolder::Pictures, nullptr, home.c_str(), ""), (home_ / "Pictures").string());
  EXPECT_EQ(UserFolderPathFor(UserFolder::Documents, nullptr, home.c_str(), ""), home);
  // user-dirs.dirs names another (existing) folder, with $HOME.
  fs::create_directories(home_ / "Bilder");
  const std::string dirs = "# written by xdg-user-dirs-update\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\n";
  EXPECT_EQ(UserFolderPathFor(UserFolder::Pictures, nullptr, home.c_str(), dirs), (home_ / "Bilder").string());
  // The environment wins; a relative value is ignored.
  EXPECT_EQ(UserFolderPathFor(UserFolder::Pictures, "/srv/pictures", home.c_str(), dirs), "/srv/pictures");
  EXPECT_EQ(UserFolderPathFor(UserFolder::Pictures, "relative", home.c_str(), dirs), (home_ / "Bilder").string());
  // No home at all: unknown.
  EXPECT_EQ(UserFolderPathFor(UserFolder::Documents, nullptr, nullptr, ""), "");
}

TEST_F(UserFolders, DefaultFilesFollowTheEnvironment) {
  fs::create_directories(home_ / "Documents");
  ::setenv("HOME", home_.c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (home_ / ".config").c_str(), 1);
  ::unsetenv("XDG_PICTURES_DIR");
  ::unsetenv("XDG_DOCUMENTS_DIR");
  EXPECT_EQ(DefaultUserFile(UserFolder::Documents, "scenario.json"), (home_ / "Documents" / "scenario.json").string());
  EXPECT_EQ(DefaultUserFile(UserFolder::Pictures, "frame.png"), (home_ / "frame.png").string());
}

}  // namespace
