// Every write goes through io::WriteFileAtomically; whatever the target is, nothing is
// lost: symlinks are followed (the link stays a link and the real file is updated), a
// read-only file is refused and kept, a device or a FIFO is written through and never
// replaced, a FIFO without a reader is refused at once, temporary files are cleaned up,
// two outputs naming one file are caught. Reads are bounded and refuse what is not a
// regular file without blocking.
#include "io/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace im2col::io {
namespace {
namespace fs = std::filesystem;

class SafeWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("im2col_safe_write_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_ / "readonly.txt", fs::perms::owner_all, ignored);
    fs::remove_all(dir_);
  }

  static std::string Slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  int TempFileCount() const {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(dir_))
      if (entry.path().filename().string().find(".tmp-") != std::string::npos) ++count;
    return count;
  }

  fs::path dir_;
};

TEST_F(SafeWriteTest, SymlinkIsFollowedTheLinkStaysAndTheRealFileIsUpdated) {
  fs::create_directories(dir_ / "real");
  const fs::path real = dir_ / "real" / "settings.json";
  std::ofstream(real) << "old";
  fs::permissions(real, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const fs::path link = dir_ / "link.json";
  fs::create_symlink(fs::path("real") / "settings.json", link);  // relative, as users make them

  ASSERT_EQ(WriteFileAtomically(link.string(), "new"), "");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link))) << "the link was replaced by a file";
  EXPECT_EQ(Slurp(real), "new");
  EXPECT_EQ(fs::status(real).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read)
      << "the real file keeps its mode";
  EXPECT_EQ(TempFileCount(), 0);
}

TEST_F(SafeWriteTest, DanglingSymlinkCreatesItsTargetAndStaysALink) {
  const fs::path link = dir_ / "out.png";
  fs::create_symlink("target.png", link);
  ASSERT_EQ(WriteFileAtomically(link.string(), "png"), "");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_EQ(Slurp(dir_ / "target.png"), "png");
}

TEST_F(SafeWriteTest, ReadOnlyFileIsRefusedWithAMessageAndKept) {
  const fs::path path = dir_ / "readonly.txt";
  std::ofstream(path) << "precious";
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);  // 0444
  const std::string error = WriteFileAtomically(path.string(), "overwritten");
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("read-only"), std::string::npos) << error;  // also as root, who could write it
  EXPECT_EQ(Slurp(path), "precious");
  EXPECT_EQ(TempFileCount(), 0);
}

TEST_F(SafeWriteTest, CharacterDeviceIsWrittenThroughNeverReplaced) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod needs root";
  struct stat null_info {};
  ASSERT_EQ(::stat("/dev/null", &null_info), 0);
  const fs::path node = dir_ / "null";  // the same device as /dev/null, in our own directory
  ASSERT_EQ(::mknod(node.c_str(), S_IFCHR | 0666, null_info.st_rdev), 0) << std::strerror(errno);
  EXPECT_EQ(WriteFileAtomically(node.string(), "a PNG"), "");
  struct stat after {};
  ASSERT_EQ(::lstat(node.c_str(), &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode)) << "the device node was replaced by a regular file";
  EXPECT_EQ(after.st_rdev, null_info.st_rdev);

  // Through a symlink to it: the link stays, no 0666 regular file appears.
  const fs::path link = dir_ / "link-to-null";
  fs::create_symlink(node, link);
  EXPECT_EQ(WriteFileAtomically(link.string(), "more"), "");
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_EQ(TempFileCount(), 0);
}

TEST_F(SafeWriteTest, FullDeviceReportsTheErrorAndStaysADevice) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod needs root";
  const fs::path node = dir_ / "full";
  ASSERT_EQ(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 7)), 0) << std::strerror(errno);  // /dev/full
  const std::string error = WriteFileAtomically(node.string(), "bytes");
  EXPECT_NE(error.find(node.string()), std::string::npos) << error;
  EXPECT_NE(error.find("character device"), std::string::npos) << error;
  struct stat after {};
  ASSERT_EQ(::lstat(node.c_str(), &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode));
}

TEST_F(SafeWriteTest, AStreamedWriteReachesTheFileWhileItIsWrittenAndArrivesWhole) {
  const fs::path target = dir_ / "x_col.csv";
  std::ofstream(target) << "old";
  constexpr int kLines = 200000;  // ~5 MB in 26-byte lines
  std::uintmax_t on_disk_midway = 0;
  const std::string error = WriteFileAtomically(target.string(), [&](std::ostream& out) {
    for (int i = 0; i < kLines; ++i) {
      out << "line " << std::setw(20) << i << "\n";
      if (i == kLines / 2) {  // half written: most of it is in the temporary file already
        for (const auto& entry : fs::directory_iterator(dir_))
          if (entry.path().filename().string().find(".tmp-") != std::string::npos) on_disk_midway = entry.file_size();
      }
    }
  });
  ASSERT_EQ(error, "");
  EXPECT_GT(on_disk_midway, std::uintmax_t{26} * kLines / 2 - (std::uintmax_t{1} << 16))
      << "the text must go to the file as it is made, not be collected first";
  const std::string text = Slurp(target);
  ASSERT_EQ(text.size(), std::size_t{26} * kLines);
  EXPECT_EQ(text.substr(0, 26), "line " + std::string(19, ' ') + "0\n");
  EXPECT_EQ(text.substr(text.size() - 26), "line " + std::string(14, ' ') + "199999\n");
  EXPECT_EQ(TempFileCount(), 0);
}

TEST_F(SafeWriteTest, AStreamedWriteThatFailsKeepsTheOldFileAndLeavesNoTemporary) {
  const fs::path target = dir_ / "matrix.csv";
  std::ofstream(target) << "old";
  const std::string error = WriteFileAtomically(target.string(), [](std::ostream& out) {
    out << std::string(std::size_t{1} << 17, 'x');  // some bytes reach the temporary file first
    throw std::runtime_error("the writer gave up");
  });
  EXPECT_EQ(error.rfind(target.string() + ": cannot write", 0), 0u) << error;
  EXPECT_EQ(Slurp(target), "old");
  EXPECT_EQ(TempFileCount(), 0);
}

TEST_F(SafeWriteTest, FifoWithAReaderReceivesTheBytesAndStaysAFifo) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string received;
  std::thread reader([&] {
    const int fd = ::open(fifo.c_str(), O_RDONLY);
    char buffer[256];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) received.append(buffer, static_cast<size_t>(n));
    ::close(fd);
  });
  // The writer refuses a FIFO with no reader: retry until the reader has opened it.
  std::string error = "not tried";
  for (int attempt = 0; attempt < 500 && !error.empty(); ++attempt) {
    error = WriteFileAtomically(fifo.string(), "through the pipe");
    if (!error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader.join();
  EXPECT_EQ(error, "");
  EXPECT_EQ(received, "through the pipe");
  struct stat after {};
  ASSERT_EQ(::lstat(fifo.c_str(), &after), 0);
  EXPECT_TRUE(S_ISFIFO(after.st_mode));
  EXPECT_EQ(TempFileCount(), 0);
}

TEST_F(SafeWriteTest, FifoWithoutAReaderIsRefusedAtOnce) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const auto start = std::chrono::steady_clock::now();
  const std::string error = WriteFileAtomically(fifo.string(), "nobody listens");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5)) << "blocked on the FIFO";
  EXPECT_NE(error.find("FIFO with no reader"), std::string::npos) << error;
  struct stat after {};
  ASSERT_EQ(::lstat(fifo.c_str(), &after), 0);
  EXPECT_TRUE(S_ISFIFO(after.st_mode));
}

TEST_F(SafeWriteTest, StaleTempFilesAreRemovedYoungOnesAndOthersKept) {
  const fs::path stale = dir_ / ".out.png.tmp-AbC123";
  const fs::path young = dir_ / ".out.png.tmp-XyZ789";
  const fs::path unrelated = dir_ / ".notes.tmp-keep";  // not six characters: not ours
  for (const fs::path& p : {stale, young, unrelated}) std::ofstream(p) << "partial";
  const struct timeval two_minutes_ago[2] = {{::time(nullptr) - 120, 0}, {::time(nullptr) - 120, 0}};
  ASSERT_EQ(::utimes(stale.c_str(), two_minutes_ago), 0);
  ASSERT_EQ(::utimes(unrelated.c_str(), two_minutes_ago), 0);

  // The next write into the directory cleans up what a killed save left.
  ASSERT_EQ(WriteFileAtomically((dir_ / "other.txt").string(), "x"), "");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(young)) << "may be another process's save in progress";
  EXPECT_TRUE(fs::exists(unrelated));
  EXPECT_EQ(RemoveStaleTempFiles(dir_.string()), 0);
}

TEST_F(SafeWriteTest, SameOutputIsCaughtThroughRelativePathsAndSymlinks) {
  const fs::path file = dir_ / "x.png";
  const fs::path link = dir_ / "y.json";
  fs::create_symlink("x.png", link);
  EXPECT_NE(SameOutputFileError("--out", file.string(), "--layout-json", file.string()), "");
  EXPECT_NE(SameOutputFileError("--out", file.string(), "--layout-json", (dir_ / "." / "x.png").string()), "");
  const std::string through_link = SameOutputFileError("--out", file.string(), "--layout-json", link.string());
  EXPECT_NE(through_link.find("--out and --layout-json name the same file"), std::string::npos) << through_link;
  EXPECT_EQ(SameOutputFileError("--out", file.string(), "--layout-json", (dir_ / "x.json").string()), "");
  EXPECT_EQ(SameOutputFileError("--out", file.string(), "--layout-json", ""), "");
}

TEST_F(SafeWriteTest, ReadsRefuseFifosAndDevicesWithoutBlockingOrReadingThem) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(ReadWholeFile(fifo.string(), error).has_value());
  EXPECT_NE(error.find("FIFO"), std::string::npos) << error;
  EXPECT_FALSE(ReadWholeFile("/dev/zero", error).has_value());  // endless: must not be read at all
  EXPECT_NE(error.find("not a regular file"), std::string::npos) << error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(SafeWriteTest, ReadsStopAtTheLimit) {
  const fs::path big = dir_ / "big.json";
  {
    std::ofstream out(big, std::ios::binary);
    out << std::string(1 << 20, ' ');
  }
  std::string error;
  EXPECT_FALSE(ReadWholeFile(big.string(), error, 1000).has_value());
  EXPECT_NE(error.find("larger than 1000 bytes"), std::string::npos) << error;
  EXPECT_EQ(ReadWholeFile(big.string(), error, 1 << 20).value_or("").size(), std::size_t{1} << 20);
}

}  // namespace
}  // namespace im2col::io
