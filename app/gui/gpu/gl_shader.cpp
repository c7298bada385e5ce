// Shader compile/link with the file name in every message; see gl_shader.h.
#include "gui/gpu/gl_shader.h"

#include "gui/gpu/gl_api.h"

#include <cstdio>
#include <utility>

namespace im2col::gui {
namespace {

std::string ShaderLog(GLuint shader) {
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  if (length <= 1) return "(no log)";
  std::string log(static_cast<size_t>(length), '\0');
  glGetShaderInfoLog(shader, length, nullptr, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

std::string ProgramLog(GLuint program) {
  GLint length = 0;
  glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
  if (length <= 1) return "(no log)";
  std::string log(static_cast<size_t>(length), '\0');
  glGetProgramInfoLog(program, length, nullptr, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

// The shaders are written as GLSL 3.30 core. OpenGL ES 3.0 (WebGL2) takes the same
// code as GLSL ES 3.00 with default precisions: the version line is swapped, nothing else.
std::string ForThisGl(const char* source) {
  std::string text = source;
#ifdef IM2COL_LAB_GLES
  const std::string desktop = "#version 330 core";
  if (text.compare(0, desktop.size(), desktop) == 0) {
    text.replace(0, desktop.size(),
                 "#version 300 es\nprecision highp float;\nprecision highp int;\nprecision highp sampler2D;");
  }
#endif
  return text;
}

// Returns 0 and sets *error (naming `file`) when compilation fails.
GLuint CompileShader(GLenum stage, const char* file, const char* source, std::string* error) {
  GLuint shader = glCreateShader(stage);
  const std::string text = ForThisGl(source);
  const char* code = text.c_str();
  glShaderSource(shader, 1, &code, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    if (error) *error = std::string("shaders/") + file + ": compile failed: " + ShaderLog(shader);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

}  // namespace

ShaderProgram::~ShaderProgram() { Release(); }

ShaderProgram::ShaderProgram(ShaderProgram&& other) noexcept
    : program_(std::exchange(other.program_, 0u)), name_(std::move(other.name_)) {}

ShaderProgram& ShaderProgram::operator=(ShaderProgram&& other) noexcept {
  if (this != &other) {
    Release();
    program_ = std::exchange(other.program_, 0u);
    name_ = std::move(other.name_);
  }
  return *this;
}

void ShaderProgram::Release() {
  if (program_ != 0) glDeleteProgram(program_);
  program_ = 0;
}

bool ShaderProgram::Build(const char* vertex_file, const char* fragment_file, std::string* error) {
  const char* vertex_source = EmbeddedShader(vertex_file);
  const char* fragment_source = EmbeddedShader(fragment_file);
  for (const auto& [file, source] : {std::pair{vertex_file, vertex_source}, std::pair{fragment_file, fragment_source}}) {
    if (source == nullptr) {
      if (error) *error = std::string("shaders/") + file + ": not embedded in this build (is the file in shaders/?)";
      return false;
    }
  }
  return BuildFromSource(vertex_file, vertex_source, fragment_file, fragment_source, error);
}

bool ShaderProgram::BuildFromSource(const char* vertex_name, const char* vertex_source, const char* fragment_name,
                                    const char* fragment_source, std::string* error) {
  Release();
  name_ = std::string(vertex_name) + " + " + fragment_name;
  GLuint vertex = CompileShader(GL_VERTEX_SHADER, vertex_name, vertex_source, error);
  if (vertex == 0) return false;
  GLuint fragment = CompileShader(GL_FRAGMENT_SHADER, fragment_name, fragment_source, error);
  if (fragment == 0) {
    glDeleteShader(vertex);
    return false;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, vertex);
  glAttachShader(program, fragment);
  glLinkProgram(program);
  glDetachShader(program, vertex);
  glDetachShader(program, fragment);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint ok = GL_FALSE;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    if (error) *error = "shaders/" + name_ + ": link failed: " + ProgramLog(program);
    glDeleteProgram(program);
    return false;
  }
  program_ = program;
  return true;
}

int ShaderProgram::Locate(const char* name, std::vector<std::string>* missing) const {
  const int location = program_ != 0 ? glGetUniformLocation(program_, name) : -1;
  if (location < 0 && missing) {
    missing->push_back("shaders/" + name_ + ": uniform '" + name +
                       "' not found (misspelt, or unused so the GLSL compiler removed it)");
  }
  return location;
}

std::string GlErrors(const char* where) {
  std::string message;
  for (int guard = 0; guard < 16; ++guard) {  // a lost context can report errors forever
    const GLenum code = glGetError();
    if (code == GL_NO_ERROR) break;
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%04X", code);
    message += (message.empty() ? "GL error " : ", ") + std::string(hex);
  }
  if (!message.empty()) message += std::string(" after ") + where;
  return message;
}

}  // namespace im2col::gui
