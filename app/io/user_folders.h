// Where files the user makes go by default: pictures (PNG, GIF, numbered PNGs) in the
// pictures folder, documents (scenarios, matrices) in the documents folder, never the
// working directory the app happened to start in.
//   pictures:  $XDG_PICTURES_DIR, else the XDG_PICTURES_DIR line of
//              $XDG_CONFIG_HOME/user-dirs.dirs (~/.config/user-dirs.dirs), else ~/Pictures
//              when it exists, else the home folder
//   documents: the same with XDG_DOCUMENTS_DIR and ~/Documents
// Empty when there is no home folder either (the working directory is then all there is).
#pragma once

#include <string>

namespace im2col::io {

enum class UserFolder { Pictures, Documents };

std::string UserFolderPath(UserFolder folder);

// The same from explicit inputs (tests): the environment variable's value (or null),
// $HOME, and the text of user-dirs.dirs ("" when there is none).
std::string UserFolderPathFor(UserFolder folder, const char* env_value, const char* home,
                              const std::string& user_dirs_text);

// `name` inside the folder ("frame.png" -> "/home/t/Pictures/frame.png"), or `name`
// alone when the folder is unknown.
std::string DefaultUserFile(UserFolder folder, const std::string& name);

}  // namespace im2col::io
