// Atomic writes: the target is replaced whole or not at all, also when the process
// dies between writing the temporary file and renaming it.
#include "io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace im2col::io {
namespace {
namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("im2col_atomic_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::size_t FileCount() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesNewFileAndReplacesOldOne) {
  const auto path = dir_ / "out.json";
  EXPECT_EQ(WriteFileAtomically(path.string(), "first"), "");
  EXPECT_EQ(Slurp(path), "first");
  EXPECT_EQ(WriteFileAtomically(path.string(), std::string("second\0with nul", 15)), "");
  EXPECT_EQ(Slurp(path), std::string("second\0with nul", 15));
  EXPECT_EQ(FileCount(), 1u) << "no temporary file left behind";
}

TEST_F(AtomicFileTest, NewFilesAreReadableByOthersLikeAnyFile) {
  const auto path = dir_ / "mode.txt";
  const mode_t old_mask = ::umask(022);
  EXPECT_EQ(WriteFileAtomically(path.string(), "x"), "");
  ::umask(old_mask);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, ReportsErrorsWithThePath) {
  const auto missing_dir = dir_ / "no" / "such" / "dir" / "out.json";
  const std::string error = WriteFileAtomically(missing_dir.string(), "x");
  EXPECT_NE(error.find(missing_dir.string()), std::string::npos) << error;
  EXPECT_NE(WriteFileAtomically(dir_.string(), "x").find("is a directory"), std::string::npos);
  EXPECT_NE(WriteFileAtomically("", "x"), "");
}

TEST_F(AtomicFileTest, AbortBetweenTempWriteAndRenameKeepsTheOldFile) {
  const auto path = dir_ / "keep.json";
  ASSERT_EQ(WriteFileAtomically(path.string(), "old contents"), "");

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::setenv("IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE", "1", 1);
    WriteFileAtomically(path.string(), "new contents that must never appear");
    ::_exit(0);  // reaching here means the hook did not fire
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the hook should abort the child";
  EXPECT_EQ(WTERMSIG(status), SIGABRT);
  EXPECT_EQ(Slurp(path), "old contents");

  // The temporary file was fully written next to the target before the abort.
  bool found_temp = false;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().filename().string().rfind(".keep.json.tmp-", 0) == 0) {
      found_temp = true;
      EXPECT_EQ(Slurp(entry.path()), "new contents that must never appear");
    }
  }
  EXPECT_TRUE(found_temp);
}

TEST_F(AtomicFileTest, HookOnlyFiresWhenSetToOne) {
  ::setenv("IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE", "0", 1);
  const auto path = dir_ / "ok.txt";
  EXPECT_EQ(WriteFileAtomically(path.string(), "fine"), "");
  ::unsetenv("IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE");
  EXPECT_EQ(Slurp(path), "fine");
}

TEST_F(AtomicFileTest, ReadWholeFile) {
  const auto path = dir_ / "read.txt";
  ASSERT_EQ(WriteFileAtomically(path.string(), "abc"), "");
  std::string error;
  EXPECT_EQ(ReadWholeFile(path.string(), error).value_or("?"), "abc");
  EXPECT_FALSE(ReadWholeFile(path.string(), error, 2).has_value());
  EXPECT_NE(error.find("larger than 2 bytes"), std::string::npos) << error;
  EXPECT_FALSE(ReadWholeFile((dir_ / "nope").string(), error).has_value());
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

}  // namespace
}  // namespace im2col::io
