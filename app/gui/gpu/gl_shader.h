// A small OpenGL shader-program helper. Shaders come from shaders/*.vert|frag,
// embedded at build time (EmbeddedShader). Every failure names the shader FILE, so
// "matrix.frag:12: undeclared identifier" points at the file to open.
//
// Uniforms are looked up by the code that sets them (see matrix_texture.cpp): a name
// the linked program lacks (misspelt, or unused so the GLSL compiler dropped it) is
// an error naming the uniform and the files, reported when the program is built,
// not a silent -1 location that ignores every value set later.
#pragma once

#include <string>
#include <vector>

namespace im2col::gui {

// GLSL text of an embedded shader, e.g. EmbeddedShader("matrix.frag"); nullptr when
// no such file was embedded. Defined in the build's generated embedded_shaders.cpp.
const char* EmbeddedShader(const char* name);

class ShaderProgram {
 public:
  ShaderProgram() = default;
  ~ShaderProgram();
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;
  ShaderProgram(ShaderProgram&& other) noexcept;
  ShaderProgram& operator=(ShaderProgram&& other) noexcept;

  // Compiles the embedded files (e.g. "matrix.vert", "matrix.frag") and links them.
  // Needs a current GL context. False with *error naming the file and the driver's log.
  bool Build(const char* vertex_file, const char* fragment_file, std::string* error);
  // Same from explicit source text; the names are only used in messages.
  bool BuildFromSource(const char* vertex_name, const char* vertex_source, const char* fragment_name,
                       const char* fragment_source, std::string* error);

  // The location of uniform `name`, or -1 after adding "<files>: uniform 'name' not found ..."
  // to *missing. Use while building a table of locations, then check *missing is empty.
  int Locate(const char* name, std::vector<std::string>* missing) const;

  unsigned int id() const { return program_; }
  bool valid() const { return program_ != 0; }
  const std::string& name() const { return name_; }  // "matrix.vert + matrix.frag"
  void Release();  // deletes the program (needs the context that built it)

 private:
  unsigned int program_ = 0;
  std::string name_;
};

// glGetError() drained into one message ("GL error 0x0502 after <where>"); "" when none.
std::string GlErrors(const char* where);

}  // namespace im2col::gui
