/* nigran-plate-reader.cpp: the text of a number plate, read with Tesseract
 *
 * The picture is one plate. It is scaled to 80 pixels high and cut into its
 * characters' rows: connected components of a binary picture, of a character's
 * height, three or more side by side (a Punjab plate has two rows, LEB-06 over
 * 5700; the smaller SINDH or PUNJAB band is left out). Each row is redrawn clean,
 * black on white, and read by Tesseract as one line of plate characters.
 *
 * No one binarisation suits every plate: shadows, bolts and a frame that touches the
 * last character each defeat one or another. The plate is therefore read from
 * several (Otsu's threshold; the same opened, to part characters touching the frame;
 * an adaptive one; Otsu's after contrast equalisation; and the grey rows themselves),
 * and the pictures vote: the reading with the most confidence summed over the
 * pictures that read it wins, a grammar's fit counting for more than one picture. A
 * reading that fits a grammar at a mean confidence of 0.75 ends the search, as do
 * three pictures in a row reading the same.
 *
 * Measured on the 61 legible Pakistani crops of ../shared/data/plates/pakistan: 52
 * read exactly (85 %) in 9-11 ms a plate; Tesseract alone on the same crops, 8. What
 * remains is mostly this Punjab font's 5, which Tesseract reads as 9, and
 * characters lost to a frame or a shadow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "nigran-plate-reader.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <omp.h>
#include <opencv2/imgproc.hpp>
#include <string>
#include <tesseract/baseapi.h>
#include <vector>

#include "nigran-frame.hpp"

namespace {

/* The height a plate is scaled to before reading. Measured on the 61 Pakistani
 * crops: 80 px reads 85 % exactly; 160 px read 70 % in twice the time, 64 px 80 %. */
const int plate_height = 80;
const char *const plate_characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
/* A reading that fits a grammar at this mean confidence is taken at once. */
const float sure_confidence = 0.75f;
/* As many pictures reading the same in a row end the search too. */
const size_t pictures_agreeing = 3;
/* What fitting a grammar adds to a reading's support: more than a second picture
 * read the same way, for a Pakistani plate's grammar is strong evidence; less for a
 * fit only without an end character. */
const float whole_fit_support = 1.5f, trimmed_fit_support = 0.5f;
/* A stroke at a plate's end read surer than this is a character, not the frame. */
const float edge_confidence = 0.8f;

/* Where a European plate's blue band (its country's stars and letters) ends: the
 * first column past the band, or 0 without one. Read as characters, the band
 * becomes a stray letter before the registration. */
int
band_end (const cv::Mat &rgb)
{
  int end = 0;

  for (int x = 0; x < rgb.cols * 18 / 100; x++)
    {
      int blue = 0;

      for (int y = 0; y < rgb.rows; y++)
        {
          const cv::Vec3b &pixel = rgb.at<cv::Vec3b> (y, x);

          blue += pixel[2] > pixel[0] + 30 && pixel[2] > pixel[1] + 15;
        }
      if (blue * 5 > rgb.rows * 2)
        end = x + 1;
    }
  return end;
}

struct Component
{
  int label, x, y, width, height;
};

enum class Fit
{
  NONE,
  TRIMMED,    /* without its first or last character */
  WHOLE,
};

struct Reading
{
  std::string        text;
  std::vector<float> confidences;   /* per letter and digit */
  std::string        characters;    /* its letters and digits alone */
  float              confidence = 0;
  Fit                fit = Fit::NONE;
};

} // namespace

struct _NigranPlateReader
{
  tesseract::TessBaseAPI api;
};

namespace {

/* One clean row, read as one line: its letters and digits (separators as spaces),
 * each with Tesseract's confidence. */
void
read_row (NigranPlateReader *self,
          const cv::Mat     &row,
          Reading           &reading)
{
  self->api.SetImage (row.data, row.cols, row.rows, 1, int (row.step));
  if (self->api.Recognize (nullptr) != 0)
    return;
  std::unique_ptr<tesseract::ResultIterator> symbols (self->api.GetIterator ());
  if (!reading.text.empty ())
    reading.text += ' ';
  if (symbols == nullptr)
    return;
  do
    {
      std::unique_ptr<char[]> symbol (symbols->GetUTF8Text (tesseract::RIL_SYMBOL));

      if (symbol == nullptr)
        continue;
      for (const char *c = symbol.get (); *c != '\0'; c++)
        if (g_ascii_isalnum (*c))
          {
            reading.text += *c;
            reading.confidences.push_back (symbols->Confidence (tesseract::RIL_SYMBOL) / 100.0f);
          }
        else if (*c == '-')
          reading.text += ' ';
    }
  while (symbols->Next (tesseract::RIL_SYMBOL));
}

int
median_height (const std::vector<Component> &row)
{
  std::vector<int> heights;

  for (const Component &component : row)
    heights.push_back (component.height);
  std::nth_element (heights.begin (), heights.begin () + heights.size () / 2, heights.end ());
  return heights[heights.size () / 2];
}

/* Draws a hyphen in each gap of @row, redrawn in @clean from @left and @top, that
 * parts groups of characters: wider than 0.4 of their height and than twice the
 * row's usual gap. The plate's own hyphen is too short to be redrawn as a character,
 * and across an empty gap Tesseract was unsure of the character after it: the 4 of
 * AC-4903 read at 0.2 where every other character read at 0.99. With the hyphen it
 * reads at 0.99. Of the openalpr and Pakistani crops cut at their labelled boxes, 8
 * more read exactly (116 of 260); end to end through nigran-recognize, 5 fewer (117
 * of 269), readings that flipped both ways. */
void
draw_separators (cv::Mat                      &clean,
                 const std::vector<Component> &row,
                 int                           median,
                 int                           left,
                 int                           top,
                 int                           bottom)
{
  std::vector<int> gaps;
  int right = -1, usual;

  for (const Component &component : row)
    if (component.height >= 0.6 * median)
      {
        if (right >= 0)
          gaps.push_back (component.x - right);
        right = std::max (right, component.x + component.width);
      }
  if (gaps.size () < 2)
    return;
  std::nth_element (gaps.begin (), gaps.begin () + gaps.size () / 2, gaps.end ());
  usual = std::max (1, gaps[gaps.size () / 2]);

  right = -1;
  for (const Component &component : row)
    if (component.height >= 0.6 * median)
      {
        int gap = component.x - right;

        if (right >= 0 && gap > 0.4 * median && gap > 2 * usual)
          {
            int width = std::max (2, int (std::min (0.45 * median, 0.6 * gap)));
            int thickness = std::max (2, int (0.12 * median));

            cv::rectangle (clean,
                           cv::Rect (right - left + 20 + (gap - width) / 2, (bottom - top) / 2 + 20 - thickness / 2,
                                     width, thickness),
                           cv::Scalar (0), cv::FILLED);
          }
        right = std::max (right, component.x + component.width);
      }
}

/* Reads the character rows of @binary (characters white); with @grey, each row is
 * read from the grey picture instead of redrawn. */
Reading
read_binary (NigranPlateReader *self,
             const cv::Mat     &binary,
             const cv::Mat     *grey)
{
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats (binary, labels, stats, centroids, 8);
  std::vector<Component> components;
  std::vector<std::vector<Component>> rows;
  Reading reading;
  int tallest = 0;

  for (int i = 1; i < n; i++)
    {
      Component component { i, stats.at<int> (i, cv::CC_STAT_LEFT), stats.at<int> (i, cv::CC_STAT_TOP),
                            stats.at<int> (i, cv::CC_STAT_WIDTH), stats.at<int> (i, cv::CC_STAT_HEIGHT) };
      double height = component.height / double (binary.rows);

      /* A character: a fifth to nine tenths of the plate high, not a frame's edge. */
      if (height < 0.2 || height > 0.9 || component.width > 4 * component.height ||
          component.width < 0.08 * component.height || component.y == 0 ||
          component.y + component.height >= binary.rows)
        continue;
      components.push_back (component);
    }
  std::sort (components.begin (), components.end (), [] (const Component &a, const Component &b) {
    return a.y + a.height / 2 < b.y + b.height / 2;
  });
  for (const Component &component : components)
    {
      if (!rows.empty ())
        {
          const Component &last = rows.back ().back ();

          if (std::abs ((component.y + component.height / 2) - (last.y + last.height / 2)) <
              std::max (component.height, last.height) / 2)
            {
              rows.back ().push_back (component);
              continue;
            }
        }
      rows.push_back ({ component });
    }
  for (const auto &row : rows)
    if (row.size () >= 3)
      tallest = std::max (tallest, median_height (row));

  for (auto &row : rows)
    {
      int median, left, right = 0, top = binary.rows, bottom = 0;
      cv::Mat clean;

      if (row.size () < 3 || (median = median_height (row)) < 0.6 * tallest)
        continue;
      std::sort (row.begin (), row.end (), [] (const Component &a, const Component &b) { return a.x < b.x; });
      left = row.front ().x;
      for (const Component &component : row)
        {
          right = std::max (right, component.x + component.width);
          top = std::min (top, component.y);
          bottom = std::max (bottom, component.y + component.height);
        }
      if (grey != nullptr)
        {
          int band_top = std::max (0, top - 6), band_bottom = std::min (grey->rows, bottom + 6);

          cv::copyMakeBorder ((*grey) (cv::Rect (0, band_top, grey->cols, band_bottom - band_top)), clean,
                              20, 20, 20, 20, cv::BORDER_REPLICATE);
        }
      else
        {
          clean = cv::Mat (bottom - top + 40, right - left + 40, CV_8U, cv::Scalar (255));
          for (const Component &component : row)
            {
              cv::Rect box (component.x, component.y, component.width, component.height);

              if (component.height >= 0.6 * median)
                clean (cv::Rect (component.x - left + 20, component.y - top + 20, component.width, component.height))
                  .setTo (0, labels (box) == component.label);
            }
          draw_separators (clean, row, median, left, top, bottom);
        }
      read_row (self, clean, reading);
    }
  return reading;
}

/* Whether @reading fits a grammar, whole or without an unsure end stroke, and how
 * sure Tesseract was of it. */
void
judge (Reading &reading)
{
  NigranPlate plate;

  if (nigran_plate_parse (reading.text.c_str (), &plate))
    reading.fit = Fit::WHOLE;
  /* The plate's frame read as a character at either end: an unsure stroke (I, 1, J,
   * L), never a letter like the G that ends many European plates. */
  for (int end = 0; end < 2 && reading.fit == Fit::NONE && reading.text.size () > 3; end++)
    {
      std::string trimmed = end == 0 ? reading.text.substr (1) : reading.text.substr (0, reading.text.size () - 1);
      char dropped = end == 0 ? reading.text.front () : reading.text.back ();
      float confidence = reading.confidences.empty () ? 0 : end == 0 ? reading.confidences.front ()
                                                                   : reading.confidences.back ();

      if (strchr ("I1JL", dropped) != nullptr && confidence < edge_confidence &&
          nigran_plate_parse (trimmed.c_str (), &plate))
        {
          if (end == 0)
            reading.confidences.erase (reading.confidences.begin ());
          else if (!reading.confidences.empty ())
            reading.confidences.pop_back ();
          reading.text = trimmed;
          reading.fit = Fit::TRIMMED;
        }
    }
  for (char c : reading.text)
    if (g_ascii_isalnum (c))
      reading.characters += c;
  for (float confidence : reading.confidences)
    reading.confidence += confidence;
  if (!reading.confidences.empty ())
    reading.confidence /= reading.confidences.size ();
}

/* Whether the last @n readings found the same characters. For a plate that fits no
 * grammar (a fancy one, a foreign one) this ends the search after three pictures
 * instead of five, and as many openalpr and Pakistani crops read exactly. */
bool
agree (const std::vector<Reading> &readings,
       size_t                      n)
{
  if (readings.size () < n || readings.back ().characters.empty ())
    return false;
  for (size_t i = readings.size () - n; i < readings.size (); i++)
    if (readings[i].characters != readings.back ().characters)
      return false;
  return true;
}

/* The reading with most support: the confidence of every picture read the same way,
 * and a grammar's fit. Measured on the openalpr crops cut at their labelled boxes,
 * this reads 28 of 58 European plates exactly where the surest single reading that
 * fits read 19, and the Pakistani crops as well as before (52 of 61). */
const Reading &
choose (const std::vector<Reading> &readings)
{
  const Reading *chosen = &readings.front ();
  float most = -1;

  for (const Reading &reading : readings)
    {
      float support = reading.fit == Fit::WHOLE ? whole_fit_support : reading.fit == Fit::TRIMMED ? trimmed_fit_support : 0;

      if (reading.characters.empty ())
        continue;
      for (const Reading &other : readings)
        if (other.characters == reading.characters)
          support += other.confidence;
      if (support > most)
        {
          most = support;
          chosen = &reading;
        }
    }
  return *chosen;
}

} // namespace

/**
 * nigran_plate_reader_new:
 * @tessdata_dir: (nullable): where eng.traineddata is; Tesseract's own place if NULL
 *
 * A reader is for one thread at a time.
 */
NigranPlateReader *
nigran_plate_reader_new (const char  *tessdata_dir,
                         GError     **error)
{
  auto self = std::make_unique<_NigranPlateReader> ();

  if (self->api.Init (tessdata_dir, "eng", tesseract::OEM_LSTM_ONLY) != 0)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_NO_MODELS,
                   "Tesseract's English data (eng.traineddata) was not found%s%s: plates cannot be read",
                   tessdata_dir ? " in " : "", tessdata_dir ? tessdata_dir : "");
      return nullptr;
    }
  self->api.SetPageSegMode (tesseract::PSM_SINGLE_LINE);
  self->api.SetVariable ("tessedit_char_whitelist", plate_characters);
  /* Plates are not words. */
  self->api.SetVariable ("load_system_dawg", "0");
  self->api.SetVariable ("load_freq_dawg", "0");
  /* Rows are drawn dark on light. Tesseract reads a row it is unsure of again
   * inverted, which doubled the time of a row that is no plate; without it as many
   * openalpr and Pakistani crops read exactly. */
  self->api.SetVariable ("tessedit_do_invert", "0");
  return self.release ();
}

void
nigran_plate_reader_free (NigranPlateReader *self)
{
  if (self != nullptr)
    self->api.End ();
  delete self;
}

/**
 * nigran_plate_reading_is_plate:
 *
 * Whether @reading is worth reporting as a plate: four characters or more, and more
 * than a province's band word (SINDH, PUNJAB) read alone, which has no registration.
 */
gboolean
nigran_plate_reading_is_plate (const NigranPlateReading *reading)
{
  g_return_val_if_fail (reading != nullptr, FALSE);

  return reading->n_characters >= 4 && reading->plate.registration[0] != '\0';
}

/**
 * nigran_plate_reader_read:
 * @data: a picture of one plate, cut close
 *
 * Returns: FALSE with an error for a picture that cannot be read as one; TRUE
 *   otherwise, with @reading empty if no characters were found
 */
gboolean
nigran_plate_reader_read (NigranPlateReader  *self,
                          NigranPixelFormat   format,
                          const guint8       *data,
                          int                 width,
                          int                 height,
                          int                 stride,
                          NigranPlateReading *reading,
                          GError            **error)
{
  g_return_val_if_fail (self != nullptr && reading != nullptr, FALSE);

  /* Debian's Tesseract runs the inner loops of its networks on up to ten OpenMP
   * threads each; on two cores those threads spend most of their time waking one
   * another, and a Pakistani crop took 68 ms to read instead of 11. With no level
   * of parallel regions active, Tesseract runs on this thread alone; the
   * console's parallelism is one reader per worker. */
  omp_set_max_active_levels (0);
  memset (reading, 0, sizeof *reading);
  if (!nigran::check_frame (format, data, width, height, stride, error))
    return FALSE;
  try
    {
      cv::Mat rgb = nigran::to_rgb (format, data, width, height, stride), grey, equalised;
      int band = band_end (rgb);

      if (band > 0 && band < width - 16)
        {
          rgb = rgb (cv::Rect (band, 0, width - band, height)).clone ();
          width -= band;
        }
      int margin_x = width * 3 / 100, margin_y = height * 4 / 100;
      std::vector<cv::Mat> binaries (4);
      std::vector<Reading> readings;

      if (width < 16 || height < 8)
        return TRUE;
      cv::cvtColor (rgb, grey, cv::COLOR_RGB2GRAY);
      /* Without the plate's outer edge, which dark frames and shadows make part of
       * the characters beside it. */
      grey = grey (cv::Rect (margin_x, margin_y, width - 2 * margin_x, height - 2 * margin_y)).clone ();
      cv::resize (grey, grey, cv::Size (), double (plate_height) / grey.rows, double (plate_height) / grey.rows,
                  cv::INTER_CUBIC);

      cv::threshold (grey, binaries[0], 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
      cv::morphologyEx (binaries[0], binaries[1], cv::MORPH_OPEN,
                        cv::getStructuringElement (cv::MORPH_RECT, cv::Size (3, 3)));
      cv::adaptiveThreshold (grey, binaries[2], 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY_INV, 51, 10);
      cv::createCLAHE (2.0, cv::Size (8, 8))->apply (grey, equalised);
      cv::threshold (equalised, binaries[3], 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);

      for (size_t i = 0; i <= binaries.size (); i++)
        {
          Reading candidate = i < binaries.size () ? read_binary (self, binaries[i], nullptr)
                                                    : read_binary (self, binaries[0], &grey);

          judge (candidate);
          readings.push_back (std::move (candidate));
          /* Sure enough: the other pictures would cost a Tesseract run each. */
          if (readings.back ().fit == Fit::WHOLE && readings.back ().confidence >= sure_confidence)
            break;
          if (agree (readings, pictures_agreeing))
            break;
        }
      const Reading &best = choose (readings);

      g_strlcpy (reading->text, best.text.c_str (), sizeof reading->text);
      reading->n_characters = MIN (best.confidences.size (), G_N_ELEMENTS (reading->character_confidence));
      reading->confidence = best.confidences.empty () ? 0 : 1;
      for (guint i = 0; i < reading->n_characters; i++)
        {
          reading->character_confidence[i] = best.confidences[i];
          reading->confidence = MIN (reading->confidence, best.confidences[i]);
        }
      reading->standard = nigran_plate_parse (reading->text, &reading->plate);
      return TRUE;
    }
  catch (const std::exception &exception)
    {
      g_set_error (error, NIGRAN_ENGINE_ERROR, NIGRAN_ENGINE_ERROR_BAD_FRAME, "The plate could not be read: %s",
                   exception.what ());
      return FALSE;
    }
}
